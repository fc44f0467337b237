package escape

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Terminal escapes s for a terminal or a plain CI log: every character that
// could move the cursor, end the line, recolour, hide or reorder the text (C0
// and C1 control characters, DEL, and the invisible characters: format
// characters such as zero-width spaces and bidirectional controls, tag
// characters, line and paragraph separators) and every byte that is not valid
// UTF-8 is written as a Go escape such as \n, \x1b, \u202e or \U000e0041.
// Backslashes are left alone, so the result is for reading, not for unquoting.
func Terminal(s string) string {
	if Unsafe(s) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case isUnsafe(r):
			b.WriteString(codePoint(r))
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// TerminalLines escapes s as Terminal does but keeps its "\n" line breaks,
// for a sink that encodes them itself, such as a workflow command message
// (CommandData).
func TerminalLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = Terminal(line)
	}
	return strings.Join(lines, "\n")
}

// Unsafe returns the byte offset of the first character of s that Terminal
// escapes, or -1 when there is none. Inputs that name files are refused when
// they hold one: no file name needs it, and an invisible one could make a
// name look like another.
func Unsafe(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
		if isUnsafe(r) {
			return i
		}
	}
	return -1
}

// isUnsafe reports whether r is a control character (category Cc) or invisible.
func isUnsafe(r rune) bool {
	return unicode.IsControl(r) || isInvisible(r)
}
