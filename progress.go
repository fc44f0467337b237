package main

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// progress returns a callback that shows how far a phase has come: a bar
// redrawn in place when stderr is a terminal, a log line at every tenth of
// the work in a GitHub Actions run, nothing otherwise. bake and verify call
// it one call at a time, with rising counts (package progress).
func (r *reporter) progress(what string) func(done, total int) {
	lastTenth := 0
	return func(done, total int) {
		switch {
		case r.terminal:
			const width = 30
			filled := width * done / max(total, 1)
			fmt.Fprintf(r.stderr, "\r[%s%s] %d/%d %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), done, total, what)
			if done == total {
				fmt.Fprintln(r.stderr)
			}
		case r.gha != nil && total >= 10:
			if tenth := 10 * done / total; tenth > lastTenth {
				lastTenth = tenth
				fmt.Fprintf(r.stdout, "%d/%d %s\n", done, total, what)
			}
		}
	}
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
