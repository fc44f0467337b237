package escape

import (
	"strings"
	"unicode/utf8"
)

// asciiPunctuation is what CommonMark lets a backslash escape.
const asciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// Markdown escapes s as inline text of the job summary, so that it renders as
// the same characters and never as markup: every ASCII punctuation character
// is backslash-escaped (no emphasis, link, image, HTML, heading, list, table
// cell or autolink can start: "https\:" and "www\." are no longer links),
// invisible characters are shown as their code points (\\u200b renders as
// \u200b), and line breaks and other control characters become spaces, so that
// no new block can start.
func Markdown(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf && strings.ContainsRune(asciiPunctuation, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case isInvisible(r):
			b.WriteByte('\\')
			b.WriteString(codePoint(r))
		case isUnsafe(r) || r == utf8.RuneError:
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TableCode returns s as a code span for a cell of a markdown table: shown
// verbatim in a monospace font, with no markup at all inside. The span is
// fenced by one more backtick than the longest run of backticks in s, "|" is
// escaped (GitHub splits table cells before it reads code spans), invisible
// characters are shown as their code points (\u200b), and line breaks and other
// control characters become spaces.
func TableCode(s string) string {
	var body strings.Builder
	run, longest := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
		switch {
		case r == '|':
			body.WriteString(`\|`)
		case isInvisible(r):
			body.WriteString(codePoint(r))
		case isUnsafe(r) || r == utf8.RuneError:
			body.WriteByte(' ')
		default:
			body.WriteRune(r)
		}
	}
	text := body.String()
	if text == "" {
		text = " "
	}
	fence := strings.Repeat("`", longest+1)
	// A space on each side keeps a backtick at either end off the fence; the
	// renderer strips one space from each side when both are there.
	if strings.HasPrefix(text, "`") || strings.HasSuffix(text, "`") || (strings.HasPrefix(text, " ") && strings.HasSuffix(text, " ") && strings.Trim(text, " ") != "") {
		text = " " + text + " "
	}
	return fence + text + fence
}
