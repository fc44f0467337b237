package escape

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, data, property string
	}{
		{"plain/path.json", "plain/path.json", "plain/path.json"},
		{"dist\n::warning title=X::injected", "dist%0A::warning title=X::injected", "dist%0A%3A%3Awarning title=X%3A%3Ainjected"},
		{"bare\r::stop-commands::x", "bare%0D::stop-commands::x", "bare%0D%3A%3Astop-commands%3A%3Ax"},
		{"100%0A", "100%250A", "100%250A"},
		{"a,b:c", "a,b:c", "a%2Cb%3Ac"},
		{"crlf\r\n", "crlf%0D%0A", "crlf%0D%0A"},
		{"", "", ""},
	}
	for _, tc := range tests {
		if got := CommandData(tc.in); got != tc.data {
			t.Errorf("CommandData(%q) = %q, want %q", tc.in, got, tc.data)
		}
		if got := CommandProperty(tc.in); got != tc.property {
			t.Errorf("CommandProperty(%q) = %q, want %q", tc.in, got, tc.property)
		}
	}
}

func TestTerminal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		unsafe   int
	}{
		{"dist/baked.json", "dist/baked.json", -1},
		{"été/ü.json", "été/ü.json", -1},
		{`C:\path`, `C:\path`, -1},
		{"a\nb", `a\nb`, 1},
		{"a\rb", `a\rb`, 1},
		{"tab\there", `tab\there`, 3},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`, 0},
		{"nul\x00", `nul\x00`, 3},
		{"del\x7f", `del\x7f`, 3},
		{"c1\u0085next", `c1\u0085next`, 2},
		{"csi\u009b2J", `csi\u009b2J`, 3},
		{"bidi\u202egnp.exe", `bidi\u202egnp.exe`, 4},
		{"isolate\u2066x\u2069", `isolate\u2066x\u2069`, 7},
		{"line\u2028sep", `line\u2028sep`, 4},
		{"bad\xffutf8", `bad\xffutf8`, 3},
		{"zwj\u200dok", `zwj\u200dok`, 3},
		{"tag\U000e0041", `tag\U000e0041`, 3},
		{"", "", -1},
	}
	for _, tc := range tests {
		if got := Terminal(tc.in); got != tc.want {
			t.Errorf("Terminal(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Unsafe(tc.in); got != tc.unsafe {
			t.Errorf("Unsafe(%q) = %d, want %d", tc.in, got, tc.unsafe)
		}
	}
}

func TestTerminalLines(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"one\ntwo":           "one\ntwo",
		"bare\r::x\n\x1b[2J": `bare\r::x` + "\n" + `\x1b[2J`,
		"":                   "",
	} {
		if got := TerminalLines(in); got != want {
			t.Errorf("TerminalLines(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"plain words", "plain words"},
		{"/x![t](https://attacker.example/t.png)", `\/x\!\[t\]\(https\:\/\/attacker\.example\/t\.png\)`},
		{"see https://evil.example", `see https\:\/\/evil\.example`},
		{"www.evil.example", `www\.evil\.example`},
		{"<img src=x onerror=alert(1)>", `\<img src\=x onerror\=alert\(1\)\>`},
		{"&lt; entity", `\&lt\; entity`},
		{"**bold** _em_ ~~del~~", `\*\*bold\*\* \_em\_ \~\~del\~\~`},
		{"a | b", `a \| b`},
		{"`code`", "\\`code\\`"},
		{"line\n# heading\n- item", `line \# heading \- item`},
		{"cr\rlf", "cr lf"},
		{"bidi\u202eok", `bidi\\u202eok`},
		{`back\slash`, `back\\slash`},
		{"été", "été"},
	}
	for _, tc := range tests {
		if got := Markdown(tc.in); got != tc.want {
			t.Errorf("Markdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTableCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"/prod/db", "`/prod/db`"},
		{"a|b", "`a\\|b`"},
		{"has `tick`", "`` has `tick` ``"},
		{"`start", "`` `start ``"},
		{"double `` run", "```double `` run```"},
		{"line\nbreak", "`line break`"},
		{"![t](https://x/t.png)", "`![t](https://x/t.png)`"},
		{"<b>&amp;", "`<b>&amp;`"},
		{"", "` `"},
		{" padded ", "`  padded  `"},
	}
	for _, tc := range tests {
		if got := TableCode(tc.in); got != tc.want {
			t.Errorf("TableCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"dist\n::warning::x", "a\rb", "%0A", "\x1b[2J", "![x](y)", "`|`", "\u202e", "\xff", "a,b:c", "\u200b", "\U000e0041"} {
		f.Add(s)
	}
	unescapeCommand := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%")
	f.Fuzz(func(t *testing.T, s string) {
		data, prop := CommandData(s), CommandProperty(s)
		if strings.ContainsAny(data, "\r\n") || strings.ContainsAny(prop, "\r\n:,") {
			t.Fatalf("command escaping left a separator: %q, %q", data, prop)
		}
		if strings.IndexFunc(s, isInvisible) < 0 && (unescapeCommand.Replace(data) != s || unescapeCommand.Replace(prop) != s) {
			t.Fatalf("command escaping is not reversible for %q", s)
		}
		if name := hiddenOutput(s); name != "" {
			t.Fatalf("%s(%q) holds a hidden character", name, s)
		}

		if lines := TerminalLines(s); Unsafe(strings.ReplaceAll(lines, "\n", "")) != -1 {
			t.Fatalf("TerminalLines(%q) = %q is not safe", s, lines)
		}
		term := Terminal(s)
		if Unsafe(term) != -1 || !utf8.ValidString(term) {
			t.Fatalf("Terminal(%q) = %q is not safe", s, term)
		}
		if Unsafe(s) == -1 && term != s {
			t.Fatalf("Terminal changed safe text %q to %q", s, term)
		}

		md := Markdown(s)
		if strings.ContainsAny(md, "\r\n") || Unsafe(md) != -1 {
			t.Fatalf("Markdown(%q) = %q keeps a line break or control character", s, md)
		}
		for i := 0; i < len(md); i++ {
			if md[i] == '\\' {
				i++ // the escaped character
				continue
			}
			if strings.IndexByte(asciiPunctuation, md[i]) >= 0 {
				t.Fatalf("Markdown(%q) = %q leaves %q unescaped", s, md, md[i])
			}
		}

		code := TableCode(s)
		if strings.ContainsAny(code, "\r\n") || Unsafe(code) != -1 {
			t.Fatalf("TableCode(%q) = %q keeps a line break or control character", s, code)
		}
		fence := code[:strings.IndexFunc(code, func(r rune) bool { return r != '`' })]
		inner := strings.TrimSuffix(strings.TrimPrefix(code, fence), fence)
		if strings.Contains(inner, fence) {
			t.Fatalf("TableCode(%q) = %q: the fence occurs inside", s, code)
		}
		if strings.Contains(strings.ReplaceAll(inner, `\|`, ""), "|") {
			t.Fatalf("TableCode(%q) = %q leaves a bare |", s, code)
		}
	})
}
