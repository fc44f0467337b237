package escape

import (
	"strings"
	"testing"
	"unicode"
)

// invisibles are the characters that show as nothing or reorder the text around them, one or
// more of each class, with the escape every function shows them as.
var invisibles = []struct {
	class string
	r     rune
	shown string
}{
	{"zero-width space", '\u200b', `\u200b`},
	{"zero-width joiner", '\u200d', `\u200d`},
	{"soft hyphen", '\u00ad', `\u00ad`},
	{"word joiner", '\u2060', `\u2060`},
	{"byte order mark", '\ufeff', `\ufeff`},
	{"unassigned tag", '\U000e0000', `\U000e0000`},
	{"language tag", '\U000e0001', `\U000e0001`},
	{"tag latin A", '\U000e0041', `\U000e0041`},
	{"cancel tag", '\U000e007f', `\U000e007f`},
	{"left-to-right embedding", '\u202a', `\u202a`},
	{"right-to-left override", '\u202e', `\u202e`},
	{"left-to-right isolate", '\u2066', `\u2066`},
	{"pop directional isolate", '\u2069', `\u2069`},
	{"left-to-right mark", '\u200e', `\u200e`},
	{"right-to-left mark", '\u200f', `\u200f`},
	{"arabic letter mark", '\u061c', `\u061c`},
	{"line separator (Zl)", '\u2028', `\u2028`},
	{"paragraph separator (Zp)", '\u2029', `\u2029`},
}

func TestInvisibleCharactersAreShown(t *testing.T) {
	t.Parallel()
	for _, tc := range invisibles {
		in, shown := "a"+string(tc.r)+"b", "a"+tc.shown+"b"
		for _, f := range []struct {
			name      string
			got, want string
		}{
			{"Terminal", Terminal(in), shown},
			{"TerminalLines", TerminalLines(in + "\n" + in), shown + "\n" + shown},
			{"CommandData", CommandData(in), shown},
			{"CommandProperty", CommandProperty(in), shown},
			{"Markdown", Markdown(in), `a\` + tc.shown + "b"},
			{"TableCode", TableCode(in), "`" + shown + "`"},
		} {
			if f.got != f.want {
				t.Errorf("%s: %s(%q) = %q, want %q", tc.class, f.name, in, f.got, f.want)
			}
		}
		if got := Unsafe(in); got != 1 {
			t.Errorf("%s: Unsafe(%q) = %d, want 1", tc.class, in, got)
		}
	}
}

// isHidden reports whether r is of a class no escaping function may output: categories Cf, Zl
// and Zp, the tag block and the bidirectional controls, listed here apart from the code.
func isHidden(r rune) bool {
	switch {
	case unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp):
		return true
	case r >= 0xe0000 && r <= 0xe007f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// hiddenOutput returns the name of the first escaping function whose output for s holds a
// hidden character, or "".
func hiddenOutput(s string) string {
	for _, f := range []struct {
		name string
		out  string
	}{
		{"Terminal", Terminal(s)},
		{"TerminalLines", TerminalLines(s)},
		{"CommandData", CommandData(s)},
		{"CommandProperty", CommandProperty(s)},
		{"Markdown", Markdown(s)},
		{"TableCode", TableCode(s)},
	} {
		if strings.IndexFunc(f.out, isHidden) >= 0 {
			return f.name
		}
	}
	return ""
}

// TestNoOutputHoldsAHiddenCharacter escapes every hidden code point, alone and between text,
// with every function.
func TestNoOutputHoldsAHiddenCharacter(t *testing.T) {
	t.Parallel()
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !isHidden(r) {
			continue
		}
		for _, s := range []string{string(r), "x" + string(r) + "|`" + string(r)} {
			if name := hiddenOutput(s); name != "" {
				t.Errorf("%s(%q) holds a hidden character", name, s)
			}
		}
		if Unsafe(string(r)) != 0 {
			t.Errorf("Unsafe(%q) does not report it", string(r))
		}
	}
}
