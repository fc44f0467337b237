package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
