package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/escape"
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

	// The runner's files, open from openSinks to report's end; nil outside
	// GitHub Actions, and summary nil when the runner gives none.
	outputs *os.File
	summary *os.File
}

func newReporter(h host, getenv func(string) string, stdout, stderr io.Writer) *reporter {
	r := &reporter{getenv: getenv, stdout: stdout, stderr: stderr, workspace: h.workspace, terminal: isTerminal(stderr)}
	if h.githubAction {
		r.gha = githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(stdout))
	}
	return r
}

// report renders a run's outcome, or its failure, and returns the run's
// final error: the warnings, the summary of the checked secrets, then the
// outputs when the run succeeded (a drift run's whenever it checked the
// file), then every problem when it failed.
func (r *reporter) report(out outcome, err error) error {
	defer r.closeSinks()
	r.warn(out.warnings)
	switch {
	case out.drift != nil:
		if r.gha != nil {
			r.appendSummary(driftMarkdown(out.drift.path, out.drift.results, out.now))
		}
		if outErr := r.drifted(out.drift); err == nil {
			err = outErr
		}
	default:
		if out.checked {
			r.summarize(out)
		}
		if err == nil {
			err = r.baked(out.path, out.data, out.file)
		}
	}
	if err != nil {
		r.fail(err)
	}
	return err
}

// openSinks opens the runner's output and summary files for appending, in a
// GitHub Actions run, before the run changes anything: a run whose results
// could not be handed on fails before it replaces the baked file.
func (r *reporter) openSinks() error {
	if r.gha == nil {
		return nil
	}
	path := r.getenv("GITHUB_OUTPUT")
	if path == "" {
		return errors.New("failed to set outputs: GITHUB_OUTPUT is not set")
	}
	var err error
	if r.outputs, err = openAppend(path); err != nil {
		return fmt.Errorf("failed to open GITHUB_OUTPUT: %w", err)
	}
	if path := r.getenv("GITHUB_STEP_SUMMARY"); path != "" {
		if r.summary, err = openAppend(path); err != nil {
			return fmt.Errorf("failed to open GITHUB_STEP_SUMMARY: %w", err)
		}
	}
	return nil
}

// openAppend opens the regular file path for appending, creating it.
func openAppend(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return f, nil
}

// closeSinks closes the runner's files.
func (r *reporter) closeSinks() {
	for _, f := range []*os.File{r.outputs, r.summary} {
		if f != nil {
			f.Close()
		}
	}
}

// line prints text as one line of w, escaped for the sink: in a GitHub
// Actions run as workflow command data, which no runner reads as a command
// of its own, and every control character escaped (escape.Terminal).
func (r *reporter) line(w io.Writer, text string) {
	text = escape.Terminal(text)
	if r.gha != nil {
		text = escape.CommandData(text)
	}
	fmt.Fprintln(w, text)
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
	fs := r.relocate(findingsOf(err))
	for _, f := range fs {
		r.annotate(f, false)
	}
	if len(fs) > 1 {
		r.line(r.stderr, fmt.Sprintf("secret-baker: %d problems found", len(fs)))
	}
	if r.gha != nil {
		r.summaryFindings(fs)
	}
}

// warn reports findings that do not fail the run: a warning annotation each
// in a GitHub Actions run, a located "warning:" line each on stderr
// otherwise.
func (r *reporter) warn(fs []finding) {
	for _, f := range r.relocate(fs) {
		r.annotate(f, true)
	}
}

// relocate returns a copy of fs, the error they came from left as it is,
// with spec files named relative to the workspace.
func (r *reporter) relocate(fs []finding) []finding {
	fs = slices.Clone(fs)
	for i := range fs {
		if file := fs[i].location.File; file != "" && file != inlineSecrets {
			fs[i].location.File = workspacePath(r.workspace, file)
		}
	}
	return fs
}

// annotate reports one finding, as an error or a warning. The toolkit
// escapes line breaks and % in messages and properties; every other control
// character is escaped here.
func (r *reporter) annotate(f finding, warning bool) {
	if r.gha == nil {
		level := ""
		if warning {
			level = "warning: "
		}
		r.line(r.stderr, "secret-baker: "+level+f.String())
		return
	}
	fields := map[string]string{"title": escape.TerminalLines(f.title)}
	if f.location.File != "" && f.location.File != inlineSecrets {
		fields["file"] = escape.TerminalLines(f.location.File)
		if f.location.Line > 0 {
			fields["line"] = strconv.Itoa(f.location.Line)
		}
		if f.location.Column > 0 {
			fields["col"] = strconv.Itoa(f.location.Column)
		}
	}
	message := escape.TerminalLines(f.String())
	if warning {
		r.gha.WithFieldsMap(fields).Warningf("%s", message)
	} else {
		r.gha.WithFieldsMap(fields).Errorf("%s", message)
	}
}

// baked hands on the result of a successful run: step outputs in a GitHub
// Actions run, a line on stdout otherwise.
func (r *reporter) baked(rel string, data []byte, f baked.File) error {
	namesJSON, err := jsonNames(slices.Sorted(maps.Keys(f)))
	if err != nil {
		return err
	}
	digest := baked.Digest(data)
	r.line(r.stdout, fmt.Sprintf("%d secret(s) in %s (%s)", len(f), rel, digest))
	if r.gha == nil {
		return nil
	}
	if r.outputs == nil {
		return errors.New("failed to set outputs: GITHUB_OUTPUT is not open")
	}
	return writeOutputs(r.outputs, []output{
		{"file", rel},
		{"digest", digest},
		{"count", strconv.Itoa(len(f))},
		{"names", namesJSON},
	})
}

// drifted hands on what the drift command found: a line on stdout, and step
// outputs in a GitHub Actions run.
func (r *reporter) drifted(d *driftOutcome) error {
	stale := d.stale()
	if len(stale) == 0 {
		r.line(r.stdout, fmt.Sprintf("no secret in %s is stale (%d secret(s))", d.path, len(d.results)))
	} else {
		r.line(r.stdout, fmt.Sprintf("%d of %d secret(s) in %s are stale: %s", len(stale), len(d.results), d.path, quoteAll(stale)))
	}
	if r.gha == nil {
		return nil
	}
	namesJSON, err := jsonNames(stale)
	if err != nil {
		return err
	}
	if r.outputs == nil {
		return errors.New("failed to set outputs: GITHUB_OUTPUT is not open")
	}
	return writeOutputs(r.outputs, []output{
		{"stale", strconv.FormatBool(len(stale) > 0)},
		{"stale-names", namesJSON},
		{"count", strconv.Itoa(len(d.results))},
	})
}

// jsonNames encodes sorted names as a JSON array, for an output.
func jsonNames(names []string) (string, error) {
	data, err := json.Marshal(names)
	if err != nil {
		return "", fmt.Errorf("failed to encode names: %w", err)
	}
	return string(data), nil
}
