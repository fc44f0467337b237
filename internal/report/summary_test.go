package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/drift"
	"github.com/org/secret-baker/verify"
)

// TestSummaryStaysSmall checks that the job summary of thousands of secrets,
// every one failing, stays well under the runner's 1 MiB limit.
func TestSummaryStaysSmall(t *testing.T) {
	t.Parallel()
	const n = 5000
	path := filepath.Join(t.TempDir(), "summary")
	getenv := func(k string) string {
		return map[string]string{"GITHUB_STEP_SUMMARY": path, "GITHUB_OUTPUT": path + ".output"}[k]
	}
	r := New(Options{GitHubActions: true, Workspace: ".", Getenv: getenv, Stdout: &strings.Builder{}, Stderr: &strings.Builder{}})
	if err := r.Open(); err != nil {
		t.Fatal(err)
	}
	results := make([]verify.Result, n)
	var fs Findings
	for i := range results {
		name := fmt.Sprintf("SECRET_WITH_A_LONG_NAME_%05d", i)
		results[i] = verify.Result{
			Name: name, Parameter: "/production/service/" + name, Version: 12,
			KeyARN:   "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			Checks:   []string{"decrypt", "key", "regex"},
			Findings: []verify.Finding{{Check: "regex", Message: "does not match `^[a-z]+$`"}},
		}
		fs = append(fs, Finding{Detail: name + ": does not match `^[a-z]+$`"})
	}
	_ = r.Report(&Baked{Checked: true, Results: results}, fs)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if size := info.Size(); size > 512<<10 {
		t.Errorf("summary of %d secrets is %d bytes, want at most 512 KiB", n, size)
	}
}

// TestSummariesStayUnderTheRunnersLimit: 1,500 secrets with the longest
// names the grammar allows give drift and deploy-diff summaries well under
// the runner's 1 MiB, with names cut by an ellipsis and the headline counts
// right.
func TestSummariesStayUnderTheRunnersLimit(t *testing.T) {
	t.Parallel()
	const n = 1500
	long := func(i int) string { return fmt.Sprintf("%04d_%s", i, strings.Repeat("N", 251)) }
	results := make([]drift.Result, n)
	var changes []baked.Change
	for i := range results {
		name := long(i)
		results[i] = drift.Result{Name: name, Parameter: "/" + name, Baked: 1, Current: 2, Stale: true}
		changes = append(changes, baked.Change{Name: name, Kind: baked.Updated,
			Before: baked.Entry{ARN: "arn:aws:ssm:us-east-1:1:parameter/" + name, Parameter: "/" + name, Version: 1},
			After:  baked.Entry{ARN: "arn:aws:ssm:us-east-1:1:parameter/" + name, Parameter: "/" + name, Version: 2}})
	}
	for _, tc := range []struct{ name, markdown, headline string }{
		{"drift", driftMarkdown("s.json", results, time.Now()), "**1500 of 1500 secret(s) in s\\.json are stale**"},
		{"deploy diff", deployDiffMarkdown("s.json", changes), "0 added, 0 removed, 1500 updated, 0 unchanged"},
	} {
		if size := len(tc.markdown); size > maxSectionBytes+64<<10 {
			t.Errorf("%s summary is %d bytes, want at most %d", tc.name, size, maxSectionBytes+64<<10)
		}
		if !strings.Contains(tc.markdown, tc.headline) || !strings.Contains(tc.markdown, "…") || !strings.Contains(tc.markdown, "not listed") {
			t.Errorf("%s summary lacks its headline %q, a cut name or the count of rows left out:\n%.2000s", tc.name, tc.headline, tc.markdown)
		}
	}
}

// TestSummaryBudget: whatever the sections, a run appends at most
// maxSummaryBytes to the job summary.
func TestSummaryBudget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var so, se strings.Builder
	r := newTestReporter(true, dir, &so, &se)
	if err := r.Open(); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		r.sink.summary(strings.Repeat("x", maxSectionBytes))
	}
	r.sink.close()
	info, err := os.Stat(filepath.Join(dir, "summary"))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > maxSummaryBytes+1024 {
		t.Errorf("summary is %d bytes, want at most %d", info.Size(), maxSummaryBytes)
	}
}
