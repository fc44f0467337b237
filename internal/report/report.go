// Package report is secret-baker's one presenter. While a run goes on it
// shows progress and masks values; when the run ends it renders the outcome
// once: annotations, the job summary and step outputs in a GitHub Actions
// run, plain located lines on a terminal otherwise. Every user-controlled
// string is escaped here for its sink (internal/escape), and only this
// package uses go-githubactions' command API.
package report

import (
	"fmt"
	"io"
	"slices"

	"github.com/org/secret-baker/internal/escape"
)

// Reporter presents one run. It never receives a secret value, except to
// register it with the runner's mask.
type Reporter struct {
	sink      sink
	stdout    io.Writer
	stderr    io.Writer
	workspace string // spec files are named relative to it
}

// sink is where a run is shown: a GitHub Actions run (actions.go) or a
// terminal (terminal.go).
type sink interface {
	// open opens the sink's files before the run changes anything; close
	// closes them.
	open() error
	close()
	// line escapes one printed line for the sink.
	line(text string) string
	group(title string)
	endGroup()
	mask(value string)
	progress(what string) func(done, total int)
	annotate(f Finding, level level)
	// summary appends markdown to the job summary, where there is one.
	summary(markdown string)
	// outputs sets step outputs, where there are any.
	outputs(outs []output) error
}

// Options say where a run is shown.
type Options struct {
	// GitHubActions tells that the run is a GitHub Actions step.
	GitHubActions bool
	// Workspace is the folder spec files are named relative to.
	Workspace string
	// Getenv reads the runner's variables (GITHUB_OUTPUT and the like).
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
}

// New returns the reporter of a run.
func New(o Options) *Reporter {
	r := &Reporter{stdout: o.Stdout, stderr: o.Stderr, workspace: o.Workspace}
	if o.GitHubActions {
		r.sink = newActions(o.Getenv, o.Stdout, o.Stderr)
	} else {
		r.sink = newTerminal(o.Stderr)
	}
	return r
}

// Open opens the runner's output and summary files, before the run changes
// anything: a run whose results could not be handed on fails before it
// replaces the baked file.
func (r *Reporter) Open() error { return r.sink.open() }

// Group starts a collapsible log group in a GitHub Actions run.
func (r *Reporter) Group(title string) { r.sink.group(title) }

// EndGroup ends the current log group.
func (r *Reporter) EndGroup() { r.sink.endGroup() }

// Mask registers a secret value with the runner's log mask.
func (r *Reporter) Mask(value string) { r.sink.mask(value) }

// Progress returns a callback that shows how far a phase has come. It is
// called one call at a time, with rising counts (internal/progress).
func (r *Reporter) Progress(what string) func(done, total int) { return r.sink.progress(what) }

// Outcome is what a command hands the reporter once it ends.
type Outcome interface {
	// render shows the outcome of a run that ended with err, and returns
	// the run's final error.
	render(r *Reporter, err error) error
}

// Report renders a run's outcome (nil when the run failed before it had
// one) and every problem of err, once, and returns the run's final error.
func (r *Reporter) Report(out Outcome, err error) error {
	defer r.sink.close()
	if out != nil {
		err = out.render(r, err)
	}
	if err != nil {
		r.fail(err)
	}
	return err
}

// println prints text as one line of w, escaped for the sink.
func (r *Reporter) println(w io.Writer, text string) {
	fmt.Fprintln(w, r.sink.line(text))
}

// fail reports every finding in err, and says how many there are. The
// runner shows at most 10 annotations per step, so the log line of each
// annotation and the job summary carry all of them.
func (r *Reporter) fail(err error) {
	fs := r.relocate(FindingsOf(err))
	for _, f := range fs {
		r.sink.annotate(f, levelError)
	}
	if len(fs) > 1 {
		r.println(r.stderr, fmt.Sprintf("secret-baker: %d problems found", len(fs)))
	}
	r.sink.summary(findingsMarkdown("problem(s)", fs))
}

// warn reports findings that do not fail the run: warnings, and notices
// for what was not checked.
func (r *Reporter) warn(fs []Finding) {
	for _, f := range r.relocate(fs) {
		if f.Kind == KindRoleNotChecked {
			r.sink.annotate(f, levelNotice)
		} else {
			r.sink.annotate(f, levelWarning)
		}
	}
}

// level is how grave an annotation is.
type level int

const (
	levelError level = iota
	levelWarning
	levelNotice
)

// relocate returns a copy of fs with spec files named relative to the
// workspace.
func (r *Reporter) relocate(fs []Finding) []Finding {
	fs = slices.Clone(fs)
	for i := range fs {
		if file := fs[i].Location.File; file != "" && file != InlineSecrets {
			fs[i].Location.File = workspacePath(r.workspace, file)
		}
	}
	return fs
}

// InlineSecrets names the secrets input where a file name would stand in
// locations; no annotation points at it.
const InlineSecrets = "input:secrets"

// plainLine is the located line a finding is printed as outside GitHub
// Actions, and in a failed run's log.
func plainLine(f Finding, l level) string {
	prefix := map[level]string{levelWarning: "warning: ", levelNotice: "notice: "}[l]
	return "secret-baker: " + prefix + f.String()
}

// escapeLine escapes text for one printed line (escape.Terminal).
func escapeLine(text string) string { return escape.Terminal(text) }
