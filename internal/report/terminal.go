package report

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// terminal shows a run as plain lines: located findings on stderr, and a
// progress bar when stderr is a terminal. It has no summary, outputs or
// mask: nothing it prints holds a value.
type terminal struct {
	stderr io.Writer
	isTTY  bool
}

func newTerminal(stderr io.Writer) *terminal {
	return &terminal{stderr: stderr, isTTY: isTerminal(stderr)}
}

func (t *terminal) open() error                 { return nil }
func (t *terminal) close()                      {}
func (t *terminal) line(text string) string     { return escapeLine(text) }
func (t *terminal) group(string)                {}
func (t *terminal) endGroup()                   {}
func (t *terminal) mask(string)                 {}
func (t *terminal) summary(string)              {}
func (t *terminal) outputs(outs []output) error { return nil }

// progress redraws a bar in place when stderr is a terminal.
func (t *terminal) progress(what string) func(done, total int) {
	return func(done, total int) {
		if !t.isTTY {
			return
		}
		const width = 30
		filled := width * done / max(total, 1)
		fmt.Fprintf(t.stderr, "\r[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, what)
		if done == total {
			fmt.Fprintln(t.stderr)
		}
	}
}

// annotate prints a located line on stderr.
func (t *terminal) annotate(f Finding, l level) {
	fmt.Fprintln(t.stderr, t.line(plainLine(f, l)))
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
