package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/sethvargo/go-githubactions"

	"github.com/org/secret-baker/baked"
)

// reporter tells the user what happened: workflow commands, outputs and a job
// summary in a GitHub Actions run; plain lines on a terminal otherwise. It
// never receives a secret value.
type reporter struct {
	gha       *githubactions.Action // nil outside GitHub Actions
	getenv    func(string) string
	stdout    io.Writer
	stderr    io.Writer
	workspace string
}

func newReporter(githubAction bool, getenv func(string) string, stdout, stderr io.Writer) *reporter {
	r := &reporter{getenv: getenv, stdout: stdout, stderr: stderr, workspace: firstNonEmpty(getenv("GITHUB_WORKSPACE"), ".")}
	if githubAction {
		r.gha = githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(stdout))
	}
	return r
}

// group starts a collapsible log group in a GitHub Actions run.
func (r *reporter) group(title string) {
	if r.gha != nil {
		r.gha.Group(title)
	}
}

// endGroup ends the current log group.
func (r *reporter) endGroup() {
	if r.gha != nil {
		r.gha.EndGroup()
	}
}

// fail reports every finding in err: an error annotation each in a GitHub
// Actions run (at the spec file and line), a located line each on stderr
// otherwise.
func (r *reporter) fail(err error) {
	fs := findingsOf(err)
	for _, f := range fs {
		if f.location.File != "" {
			f.location.File = r.repoPath(f.location.File)
		}
		if r.gha == nil {
			fmt.Fprintf(r.stderr, "secret-baker: %s\n", f)
			continue
		}
		fields := map[string]string{"title": f.title}
		if f.location.File != "" {
			fields["file"] = f.location.File
			fields["line"] = strconv.Itoa(f.location.Line)
			if f.location.Column > 0 {
				fields["col"] = strconv.Itoa(f.location.Column)
			}
		}
		r.gha.WithFieldsMap(fields).Errorf("%s", f.message)
	}
	if len(fs) > 1 {
		fmt.Fprintf(r.stderr, "secret-baker: %d problems found\n", len(fs))
	}
}

// repoPath turns a spec path into the repository-relative path annotations
// need.
func (r *reporter) repoPath(p string) string {
	rel, err := filepath.Rel(mustAbs(r.workspace), mustAbs(p))
	if err != nil {
		return p
	}
	return filepath.ToSlash(rel)
}

// baked hands on the result of a successful bake: step outputs in a GitHub
// Actions run, a line on stdout otherwise.
func (r *reporter) baked(rel string, data []byte, f baked.File) error {
	names := make([]string, 0, len(f))
	for n := range f {
		names = append(names, n)
	}
	slices.Sort(names)
	namesJSON, err := json.Marshal(names)
	if err != nil {
		return fmt.Errorf("failed to encode names: %w", err)
	}
	digest := baked.Digest(data)
	if r.gha == nil {
		fmt.Fprintf(r.stdout, "baked %d secret(s) into %s (%s)\n", len(f), rel, digest)
		return nil
	}
	return writeOutputs(r.getenv("GITHUB_OUTPUT"), []output{
		{"file", filepath.ToSlash(rel)},
		{"digest", digest},
		{"count", strconv.Itoa(len(f))},
		{"names", string(namesJSON)},
	})
}
