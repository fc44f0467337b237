package main

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/org/secret-baker/baked"
)

// reporter tells the user what happened: workflow commands, outputs and a job
// summary in a GitHub Actions run; plain lines on a terminal otherwise. It
// never receives a secret value, except to register it with the runner's
// mask.
type reporter struct {
	gha       *githubactions.Action // nil outside GitHub Actions
	getenv    func(string) string
	stdout    io.Writer
	stderr    io.Writer
	workspace string
	terminal  bool // stderr is a terminal: draw progress bars
}

func newReporter(h host, getenv func(string) string, stdout, stderr io.Writer) *reporter {
	r := &reporter{getenv: getenv, stdout: stdout, stderr: stderr, workspace: h.workspace, terminal: isTerminal(stderr)}
	if h.githubAction {
		r.gha = githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(stdout))
	}
	return r
}

// report renders a run's outcome, or its failure, and returns the run's
// final error: the summary of the checked secrets, then the outputs when the
// run succeeded, then every problem when it failed.
func (r *reporter) report(out outcome, err error) error {
	if out.checked {
		r.summarize(out.results, out.path)
	}
	if err == nil {
		err = r.baked(out.path, out.data, out.file)
	}
	if err != nil {
		r.fail(err)
	}
	return err
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

// masker returns the function that registers a secret value with the
// runner's log mask, every line of it too, as the runner masks line by line.
// Outside GitHub Actions nothing is printed, so it does nothing.
func (r *reporter) masker() func(string) {
	if r.gha == nil {
		return func(string) {}
	}
	return func(value string) {
		r.gha.AddMask(value)
		if strings.ContainsAny(value, "\r\n") {
			for _, line := range strings.FieldsFunc(value, func(c rune) bool { return c == '\n' || c == '\r' }) {
				if strings.TrimSpace(line) != "" {
					r.gha.AddMask(line)
				}
			}
		}
	}
}

// fail reports every finding in err: an error annotation each in a GitHub
// Actions run (at the spec file and line), a located line each on stderr
// otherwise. The runner shows at most 10 annotations per step, so the log
// line of each annotation and the job summary carry all of them.
func (r *reporter) fail(err error) {
	fs := slices.Clone(findingsOf(err)) // relocated below, the error left as it is
	for i := range fs {
		if file := fs[i].location.File; file != "" && file != inlineSecrets {
			fs[i].location.File = workspacePath(r.workspace, file)
		}
	}
	for _, f := range fs {
		if r.gha == nil {
			fmt.Fprintf(r.stderr, "secret-baker: %s\n", f)
			continue
		}
		fields := map[string]string{"title": f.title}
		if f.location.File != "" && f.location.File != inlineSecrets {
			fields["file"] = f.location.File
			if f.location.Line > 0 {
				fields["line"] = strconv.Itoa(f.location.Line)
			}
			if f.location.Column > 0 {
				fields["col"] = strconv.Itoa(f.location.Column)
			}
		}
		r.gha.WithFieldsMap(fields).Errorf("%s", f)
	}
	if len(fs) > 1 {
		fmt.Fprintf(r.stderr, "secret-baker: %d problems found\n", len(fs))
	}
	if r.gha != nil {
		r.summaryFindings(fs)
	}
}

// baked hands on the result of a successful run: step outputs in a GitHub
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
		fmt.Fprintf(r.stdout, "%d secret(s) in %s (%s)\n", len(f), rel, digest)
		return nil
	}
	fmt.Fprintf(r.stdout, "%d secret(s) in %s (%s)\n", len(f), rel, digest)
	return writeOutputs(r.getenv("GITHUB_OUTPUT"), []output{
		{"file", rel},
		{"digest", digest},
		{"count", strconv.Itoa(len(f))},
		{"names", string(namesJSON)},
	})
}
