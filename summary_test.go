package main

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
		return map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": path, "GITHUB_OUTPUT": path + ".output"}[k]
	}
	r := newReporter(host{githubAction: true, workspace: "."}, getenv, &strings.Builder{}, &strings.Builder{})
	if err := r.openSinks(); err != nil {
		t.Fatal(err)
	}
	defer r.closeSinks()
	results := make([]verify.Result, n)
	var fs findingsError
	for i := range results {
		name := fmt.Sprintf("SECRET_WITH_A_LONG_NAME_%05d", i)
		results[i] = verify.Result{
			Name: name, Parameter: "/production/service/" + name, Version: 12,
			KeyARN:   "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			Checks:   []string{"decrypt", "key", "regex"},
			Findings: []verify.Finding{{Check: "regex", Message: "does not match `^[a-z]+$`"}},
		}
		fs = append(fs, finding{message: name + ": does not match `^[a-z]+$`"})
	}
	r.summarize(outcome{checked: true, results: results})
	r.summaryFindings(fs)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if size := info.Size(); size > 512<<10 {
		t.Errorf("summary of %d secrets is %d bytes, want at most 512 KiB", n, size)
	}
}
