package main

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

func TestAgeFindings(t *testing.T) {
	t.Parallel()
	set := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	policy := rotation.Policy{MaxAge: 90 * rotation.Day, WarnAge: 60 * rotation.Day}
	sp := &spec.Spec{Secrets: []spec.Secret{
		{Name: "A", Parameter: "/a", Age: policy, Location: spec.Location{File: "s.yml", Line: 3, Column: 3}},
		{Name: "NO_POLICY", Parameter: "/n"},
		{Name: "UNKNOWN_DATE", Parameter: "/u", Age: policy},
		{Name: "NOT_BAKED", Parameter: "/x", Age: policy},
	}}
	file := baked.File{
		"A":            {Parameter: "/a", Version: 4, Modified: set},
		"NO_POLICY":    {Parameter: "/n", Version: 1, Modified: set.Add(-1000 * rotation.Day)},
		"UNKNOWN_DATE": {Parameter: "/u", Version: 1},
	}
	tests := []struct {
		name         string
		now          time.Time
		wantExpired  string
		wantOld      string
		wantLocation spec.Location
	}{
		{name: "at warn-age", now: set.Add(60 * rotation.Day)},
		{
			name:    "a second past warn-age",
			now:     set.Add(60*rotation.Day + time.Second),
			wantOld: `s.yml:3:3: secret "A" (parameter "/a", version 4): it was set on 2026-09-01 12:00:00 UTC, 60d ago, which is more than its warn-age 60d; rotate it soon: bakes fail once it is older than its max-age 90d`,
		},
		{
			name:    "at max-age",
			now:     set.Add(90 * rotation.Day),
			wantOld: `s.yml:3:3: secret "A" (parameter "/a", version 4): it was set on 2026-09-01 12:00:00 UTC, 90d ago, which is more than its warn-age 60d; rotate it soon: bakes fail once it is older than its max-age 90d`,
		},
		{
			name:        "a second past max-age",
			now:         set.Add(90*rotation.Day + time.Second),
			wantExpired: `s.yml:3:3: secret "A" (parameter "/a", version 4): it was set on 2026-09-01 12:00:00 UTC, 90d ago, which is more than its max-age 90d; rotate it (put a new version of the parameter) or raise max-age`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			expired, old := ageFindings(sp, file, tc.now)
			if got := expired.Error(); got != tc.wantExpired {
				t.Errorf("expired = %q, want %q", got, tc.wantExpired)
			}
			if got := old.Error(); got != tc.wantOld {
				t.Errorf("old = %q, want %q", got, tc.wantOld)
			}
			if tc.wantExpired != "" && (!errors.Is(expired, rotation.ErrExpired) || expired[0].title != "Secret A is older than its max-age") {
				t.Errorf("expired = %+v, want the cause rotation.ErrExpired and a title", expired)
			}
		})
	}
}

func TestReportDrift(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	set := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	d := &driftOutcome{path: "deployed/s.json", results: []drift.Result{
		{Name: "B", Parameter: "/b", Selector: baked.Selector{Name: "/b"}, Baked: 1, Current: 2, CurrentSet: set, Stale: true},
		{Name: "A", Parameter: "/a:live", Selector: baked.Selector{Name: "/a", Label: "live"}, Baked: 3, Current: 4, CurrentSet: set, Stale: true},
		{Name: "C", Parameter: "/c", Selector: baked.Selector{Name: "/c"}, Baked: 1, Current: 1, CurrentSet: set},
	}}
	warnings := []finding{{location: spec.Location{File: "/ws/spec.yml", Line: 4, Column: 3}, title: "Secret B is stale", message: "secret \"B\": stale"}}
	out := outcome{now: now, drift: d, warnings: warnings}

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
	d := &driftOutcome{path: "s.json", results: []drift.Result{
		{Name: "GONE", Parameter: "/gone", Baked: 1, Problem: bake.ErrNotFound},
		{Name: "OK", Parameter: "/ok", Baked: 1, Current: 1},
	}}
	fs := findingsError{{title: "Cannot check GONE", message: "secret \"GONE\": parameter or version not found", cause: bake.ErrNotFound}}
	stdout, _, outputs, summary, final := reportOnce(t, true, outcome{drift: d}, fs)
	if !errors.Is(final, bake.ErrNotFound) || exitCode(final) != 1 {
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
	out := outcome{
		checked: true, path: "s.json", data: data, file: file, now: now,
		results:  []verify.Result{{Name: "A", Parameter: "/a", Version: 2}},
		warnings: []finding{{title: "Secret A is older than its warn-age", message: "secret \"A\": old"}},
		previous: &previousFile{path: "s.json", file: baked.File{"A": before}},
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

	out.path, out.data = "", nil
	_, _, _, summary, _ = reportOnce(t, true, out, findingsError{{message: "failed"}})
	if strings.Contains(summary, "What this deploy changes") {
		t.Errorf("the summary of a failed bake shows changes:\n%s", summary)
	}
}
