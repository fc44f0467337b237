package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/golden"
)

// checkGolden compares got with the golden file testdata/summary/name.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "summary", name), got)
}

// env returns a getenv over vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// newTestReporter returns a reporter in a GitHub Actions run, or not, with
// the runner's files in dir.
func newTestReporter(githubAction bool, dir string, stdout, stderr *strings.Builder) *Reporter {
	vars := map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary")}
	return New(Options{GitHubActions: githubAction, Workspace: "/ws", Getenv: env(vars), Stdout: stdout, Stderr: stderr})
}

// reportOnce reports out and err as a run in GitHub Actions (or not) would, and returns what
// went to stdout, stderr, the step outputs and the job summary.
func reportOnce(t *testing.T, githubAction bool, out Outcome, err error) (stdout, stderr, outputs, summary string, final error) {
	t.Helper()
	dir := t.TempDir()
	var so, se strings.Builder
	rep := newTestReporter(githubAction, dir, &so, &se)
	if serr := rep.Open(); serr != nil {
		t.Fatal(serr)
	}
	final = rep.Report(out, err)
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		return string(data)
	}
	return so.String(), se.String(), read("output"), read("summary"), final
}
