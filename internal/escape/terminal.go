package escape

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Terminal escapes s for a terminal or a plain CI log: every character that
// could move the cursor, end the line, recolour or reorder the text (C0 and C1
// control characters, DEL, Unicode line and paragraph separators and
// bidirectional formatting characters) and every byte that is not valid UTF-8
// is written as a Go escape such as \n, \x1b or \u202e. Backslashes are
// left alone, so the result is for reading, not for unquoting.
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
		case isUnsafe(r) && r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		case isUnsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
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
// they hold one: no file name needs it.
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

// isUnsafe reports whether r is a control character (category Cc), a line or
// paragraph separator, or a bidirectional formatting character.
func isUnsafe(r rune) bool {
	switch {
	case unicode.IsControl(r):
		return true
	case r == '\u2028', r == '\u2029':
		return true
	case r == '\u061c', r == '\u200e', r == '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}
