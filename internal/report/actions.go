package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/org/secret-baker/internal/escape"
)

// actions shows a run in GitHub Actions: workflow commands on stdout,
// outputs and a job summary in the runner's files.
type actions struct {
	gha    *githubactions.Action
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer

	// The runner's files, open from open to close; summary is nil when the
	// runner gives none.
	outputsFile *os.File
	summaryFile *os.File
	summarized  int // bytes appended to the summary
}

// maxSummaryBytes is what a run appends to the job summary at most: the
// runner drops a summary over 1 MiB whole, and other steps may add to it.
const maxSummaryBytes = 768 << 10

func newActions(getenv func(string) string, stdout, stderr io.Writer) *actions {
	return &actions{
		gha:    githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(stdout)),
		getenv: getenv, stdout: stdout, stderr: stderr,
	}
}

func (a *actions) open() error {
	path := a.getenv("GITHUB_OUTPUT")
	if path == "" {
		return errors.New("failed to set outputs: GITHUB_OUTPUT is not set")
	}
	var err error
	if a.outputsFile, err = openAppend(path); err != nil {
		return fmt.Errorf("failed to open GITHUB_OUTPUT: %w", err)
	}
	if path := a.getenv("GITHUB_STEP_SUMMARY"); path != "" {
		if a.summaryFile, err = openAppend(path); err != nil {
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

func (a *actions) close() {
	for _, f := range []*os.File{a.outputsFile, a.summaryFile} {
		if f != nil {
			f.Close()
		}
	}
}

// line escapes text as workflow command data, which no runner reads as a
// command of its own, and every control character (escape.Terminal).
func (a *actions) line(text string) string { return escape.CommandData(escapeLine(text)) }

func (a *actions) group(title string) { a.gha.Group(title) }

func (a *actions) endGroup() { a.gha.EndGroup() }

// mask registers value with the runner's log mask, every line of it too, as
// the runner masks line by line.
func (a *actions) mask(value string) {
	a.gha.AddMask(value)
	if strings.ContainsAny(value, "\r\n") {
		for _, line := range strings.FieldsFunc(value, func(c rune) bool { return c == '\n' || c == '\r' }) {
			if strings.TrimSpace(line) != "" {
				a.gha.AddMask(line)
			}
		}
	}
}

// progress logs a line at every tenth of the work, for 10 items or more.
func (a *actions) progress(what string) func(done, total int) {
	lastTenth := 0
	return func(done, total int) {
		if total < 10 {
			return
		}
		if tenth := 10 * done / total; tenth > lastTenth {
			lastTenth = tenth
			fmt.Fprintf(a.stdout, "%d/%d %s\n", done, total, what)
		}
	}
}

// annotate reports one finding as an error or warning annotation at its
// spec file and line. The toolkit escapes line breaks and % in messages and
// properties; every other control character is escaped here.
func (a *actions) annotate(f Finding, l level) {
	fields := map[string]string{"title": escape.TerminalLines(f.Title())}
	if f.Location.File != "" && f.Location.File != InlineSecrets {
		fields["file"] = escape.TerminalLines(f.Location.File)
		if f.Location.Line > 0 {
			fields["line"] = strconv.Itoa(f.Location.Line)
		}
		if f.Location.Column > 0 {
			fields["col"] = strconv.Itoa(f.Location.Column)
		}
	}
	message := escape.TerminalLines(f.String())
	switch l {
	case levelNotice:
		a.gha.WithFieldsMap(fields).Noticef("%s", message)
	case levelWarning:
		a.gha.WithFieldsMap(fields).Warningf("%s", message)
	default:
		a.gha.WithFieldsMap(fields).Errorf("%s", message)
	}
}

func (a *actions) summary(markdown string) {
	if a.summaryFile == nil {
		return
	}
	if a.summarized+len(markdown) > maxSummaryBytes {
		markdown = "The rest of this summary is left out, to stay within the runner's limit; the log holds every problem."
	}
	a.summarized += len(markdown)
	if _, err := io.WriteString(a.summaryFile, markdown+"\n"); err != nil {
		fmt.Fprintln(a.stderr, a.line(fmt.Sprintf("secret-baker: failed to write the job summary: %v", err)))
	}
}

func (a *actions) outputs(outs []output) error {
	if a.outputsFile == nil {
		return errors.New("failed to set outputs: GITHUB_OUTPUT is not open")
	}
	return writeOutputs(a.outputsFile, outs)
}
