package report

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/drift"
	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/rotation"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

func TestReportDrift(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	set := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	d := &Drift{Path: "deployed/s.json", Results: []drift.Result{
		{Name: "B", Parameter: "/b", Selector: baked.Selector{Name: "/b"}, Baked: 1, Current: 2, CurrentSet: set, Stale: true},
		{Name: "A", Parameter: "/a:live", Selector: baked.Selector{Name: "/a", Label: "live"}, Baked: 3, Current: 4, CurrentSet: set, Stale: true},
		{Name: "C", Parameter: "/c", Selector: baked.Selector{Name: "/c"}, Baked: 1, Current: 1, CurrentSet: set},
	}}
	d.Now = now
	d.Warnings = []Finding{{Kind: KindStale, Secret: "B", Location: spec.Location{File: "/ws/spec.yml", Line: 4, Column: 3}, Detail: "secret \"B\": stale"}}
	out := d

	stdout, stderr, outputs, summary, final := reportOnce(t, true, out, nil)
	if final != nil || stderr != "" {
		t.Fatalf("report() = %v, stderr %q", final, stderr)
	}
	wantStdout := "::warning col=3,file=spec.yml,line=4,title=Secret B is stale::spec.yml:4:3: secret \"B\": stale\n" +
		"2 of 3 secret(s) in deployed/s.json are stale: \"B\", \"A\"\n"
	if stdout != wantStdout {
		t.Errorf("stdout =\n%s\nwant\n%s", stdout, wantStdout)
	}
	for _, want := range []string{"stale<<", "\ntrue\n", "stale-names<<", "\n[\"B\",\"A\"]\n", "count<<", "\n3\n"} {
		if !strings.Contains(outputs, want) {
			t.Errorf("outputs lack %q:\n%s", want, outputs)
		}
	}
	if !strings.Contains(summary, "| `B` | `/b` | 1 → 2 | 2026-11-30 08:00 UTC | - | ⚠️ stale |") {
		t.Errorf("summary:\n%s", summary)
	}

	stdout, stderr, outputs, summary, final = reportOnce(t, false, out, nil)
	if final != nil || outputs != "" || summary != "" || stdout != "2 of 3 secret(s) in deployed/s.json are stale: \"B\", \"A\"\n" ||
		stderr != "secret-baker: warning: spec.yml:4:3: secret \"B\": stale\n" {
		t.Errorf("outside GitHub Actions: %v, stdout %q, stderr %q, outputs %q, summary %q", final, stdout, stderr, outputs, summary)
	}
}

// TestReportDriftFailure sets the outputs of a drift run that fails, so that
// a later step can act on them.
func TestReportDriftFailure(t *testing.T) {
	t.Parallel()
	d := &Drift{Path: "s.json", Results: []drift.Result{
		{Name: "GONE", Parameter: "/gone", Baked: 1, Problem: bake.ErrNotFound},
		{Name: "OK", Parameter: "/ok", Baked: 1, Current: 1},
	}}
	fs := Findings{{Kind: KindCannotCheck, Secret: "GONE", Detail: "secret \"GONE\": parameter or version not found", Reason: bake.ErrNotFound}}
	stdout, _, outputs, summary, final := reportOnce(t, true, d, fs)
	if !errors.Is(final, bake.ErrNotFound) {
		t.Errorf("report() = %v, want the problem", final)
	}
	if !strings.Contains(stdout, "no secret in s.json is stale (2 secret(s))\n") || !strings.Contains(stdout, "::error title=Cannot check GONE::") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if !strings.Contains(outputs, "\nfalse\n") || !strings.Contains(outputs, "\n[]\n") || !strings.Contains(outputs, "\n2\n") {
		t.Errorf("outputs:\n%s", outputs)
	}
	if !strings.Contains(summary, "**1 secret(s) could not be checked.**") || !strings.Contains(summary, "### 1 problem(s)") {
		t.Errorf("summary:\n%s", summary)
	}
}

// TestReportBakeAgesAndChanges shows the age of each version, the warnings and
// what the deploy changes; a failed bake shows no changes, since it ships
// nothing.
func TestReportBakeAgesAndChanges(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	entry := baked.Entry{ARN: "arn:aws:ssm:eu-west-1:1:parameter/a", Ciphertext: "AQID", Parameter: "/a", Version: 2, Modified: now.Add(-61 * rotation.Day)}
	file := baked.File{"A": entry}
	data, err := file.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	before := entry
	before.Version, before.Ciphertext = 1, "AQIC"
	out := &Baked{
		Checked: true, Path: "s.json", Data: data, File: file, Now: now,
		Results:  []verify.Result{{Name: "A", Parameter: "/a", Version: 2}},
		Warnings: []Finding{{Kind: KindOld, Secret: "A", Detail: "secret \"A\": old"}},
		Previous: &Previous{Path: "s.json", File: baked.File{"A": before}},
	}
	_, _, _, summary, final := reportOnce(t, true, out, nil)
	for _, want := range []string{
		"| `A` | `/a` | 2 | 2026-10-01 09:00 UTC | 61d | `-` | not verified | baked |",
		"### 1 warning(s)\n\n- " + escape.Markdown(`secret "A": old`) + "\n",
		"### What this deploy changes",
		"| `A` | `/a` version 1 → 2 |",
	} {
		if final != nil || !strings.Contains(summary, want) {
			t.Errorf("report() = %v; summary lacks %q:\n%s", final, want, summary)
		}
	}

	out.Path, out.Data = "", nil
	_, _, _, summary, _ = reportOnce(t, true, out, Findings{{Detail: "failed"}})
	if strings.Contains(summary, "What this deploy changes") {
		t.Errorf("the summary of a failed bake shows changes:\n%s", summary)
	}
}
