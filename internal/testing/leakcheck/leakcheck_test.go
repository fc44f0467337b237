package leakcheck

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	secret    = "LEAK-3f9a1c77d0e2b5a8-xyz/+?&%\"é"
	multiLine = "LEAK-first-line-7b2e\r\nLEAK-second-line-7b2e\nok"
)

// forms returns the distinct forms found in text, sorted.
func formsFound(leaks []Leak) []string {
	var got []string
	for _, l := range leaks {
		if !slices.Contains(got, l.Form) {
			got = append(got, l.Form)
		}
	}
	slices.Sort(got)
	return got
}

func TestTextFindsEveryForm(t *testing.T) {
	t.Parallel()
	jsonQuoted, _ := json.Marshal(secret)
	tests := []struct {
		name string
		text string
		want string // a form that must be among those found
	}{
		{"as is", "error: " + secret + " is bad", "value"},
		{"JSON-escaped", `{"v":` + string(jsonQuoted) + `}`, "JSON-escaped"},
		{"Go-quoted", fmt.Sprintf("value %q", secret), "Go-quoted"},
		{"URL-escaped", "https://x/?q=" + url.QueryEscape(secret), "URL-escaped"},
		{"workflow command", "::error::" + strings.NewReplacer("%", "%25").Replace(secret), "command-escaped"},
		{"hex", "dump " + hex.EncodeToString([]byte(secret)), "hex"},
		{"HEX", "dump " + strings.ToUpper(hex.EncodeToString([]byte(secret))), "HEX"},
		{"base64", base64.StdEncoding.EncodeToString([]byte(secret)), "base64 (std, shift 0)"},
		{"base64 in a message, shift 1", base64.StdEncoding.EncodeToString([]byte("a" + secret + "tail")), "base64 (std, shift 1)"},
		{"base64 in a message, shift 2", base64.StdEncoding.EncodeToString([]byte("ab" + secret)), "base64 (std, shift 2)"},
		{"base64url unpadded", base64.RawURLEncoding.EncodeToString([]byte("xyzab" + secret)), "base64 (url, shift 2)"},
		{"truncated", fmt.Sprintf("got %.16s...", secret), "its first bytes"},
		{"end only", "..." + secret[len(secret)-17:], "its last bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := New("unrelated-value-123", secret)
			leaks := c.Text("stdout", "first line\n"+tt.text+"\n")
			if got := formsFound(leaks); !slices.Contains(got, tt.want) {
				t.Errorf("forms found = %q, want %q among them", got, tt.want)
			}
			for _, l := range leaks {
				if l.Secret != 1 || l.Where != "stdout" || l.Line != 2 {
					t.Errorf("leak %+v, want secret #1 in stdout line 2", l)
				}
			}
		})
	}
}

func TestTextMultiLineValue(t *testing.T) {
	t.Parallel()
	c := New(multiLine)
	tests := []struct {
		name      string
		text      string
		wantForms []string
		wantLine  int
	}{
		{"whole value", "x\n" + multiLine + "\n", []string{"its first bytes", "its last bytes", "line 1", "line 2", "value"}, 2},
		{"one line", "a\nb\nvalue: LEAK-second-line-7b2e\n", []string{"line 2"}, 3},
		{"short line is not searched", "ok\n", nil, 0},
	}
	for _, tt := range tests {
		leaks := c.Text("stderr", tt.text)
		if got := formsFound(leaks); !slices.Equal(got, tt.wantForms) {
			t.Errorf("%s: forms = %q, want %q", tt.name, got, tt.wantForms)
		}
		if len(leaks) > 0 && leaks[0].Line != tt.wantLine {
			t.Errorf("%s: first leak at line %d, want %d", tt.name, leaks[0].Line, tt.wantLine)
		}
	}
}

func TestTextAllowsMasks(t *testing.T) {
	t.Parallel()
	c := New(secret, multiLine)
	tests := []struct {
		name     string
		text     string
		wantLeak bool
	}{
		{"mask of the value", "::add-mask::" + strings.NewReplacer("%", "%25").Replace(secret) + "\n", false},
		{"mask of a multi-line value, escaped", "::add-mask::" + strings.NewReplacer("\r", "%0D", "\n", "%0A").Replace(multiLine) + "\n", false},
		{"mask of each line", "::add-mask::LEAK-first-line-7b2e\r\n::add-mask::LEAK-second-line-7b2e\n", false},
		{"mask with CRLF", "::add-mask::LEAK-first-line-7b2e\r\n", false},
		{"mask with more after it", "::add-mask::LEAK-first-line-7b2e and more\n", true},
		{"not at the start of the line", "echo ::add-mask::LEAK-first-line-7b2e\n", true},
		{"mask of something else then the value", "::add-mask::other\n" + secret + "\n", true},
		{"other command", "::debug::LEAK-first-line-7b2e\n", true},
	}
	for _, tt := range tests {
		if got := len(c.Text("stdout", tt.text)) > 0; got != tt.wantLeak {
			t.Errorf("%s: leak = %v, want %v", tt.name, got, tt.wantLeak)
		}
	}
}

func TestAllowMask(t *testing.T) {
	t.Parallel()
	part := "LEAK-0b6c2f9d31e4a7c5-part-xyz"
	doc := `{"url":"` + part + `"}`
	c := New(part)
	mask := "::add-mask::" + doc + "\n"
	if len(c.Text("stdout", mask)) == 0 {
		t.Error("the mask of a document holding a value passed before AllowMask")
	}
	c.AllowMask(doc)
	if leaks := c.Text("stdout", mask); len(leaks) > 0 {
		t.Errorf("the mask of an allowed document is a leak: %v", leaks)
	}
	if len(c.Text("stdout", "echo "+doc+"\n")) == 0 {
		t.Error("the document itself passed")
	}
}

func TestFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	leaked := write("tmp/cache/blob", "header\n\n"+base64.StdEncoding.EncodeToString([]byte("xx"+secret)))
	exempt := write("input.json", secret)
	write("clean.json", `{"ciphertext":"AQICAHh..."}`)
	write("masks.log", "::add-mask::"+secret+"\n") // files are not workflow logs: no exemption
	if err := os.Symlink(exempt, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}

	c := New(secret)
	c.Exempt(exempt)
	leaks, err := c.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	var where []string
	for _, l := range leaks {
		if w := fmt.Sprintf("%s:%d", filepath.Base(l.Where), l.Line); !slices.Contains(where, w) {
			where = append(where, w)
		}
	}
	if want := []string{"masks.log:1", "blob:3"}; !slices.Equal(where, want) {
		t.Errorf("leaks at %q, want %q", where, want)
	}
	if last := leaks[len(leaks)-1]; last.Where != leaked {
		t.Errorf("leak reported in %q, want %q", last.Where, leaked)
	}
	if got, want := c.Checked(), 3; got != want {
		t.Errorf("Checked = %d, want %d", got, want)
	}
	if _, err := c.Files(filepath.Join(dir, "missing")); err == nil {
		t.Error("Files of a missing root succeeded")
	}
}

func TestLeakStringHidesValue(t *testing.T) {
	t.Parallel()
	c := New(secret)
	leaks := c.Text("stdout", secret)
	if len(leaks) == 0 {
		t.Fatal("no leak found")
	}
	for _, l := range leaks {
		s := l.String()
		if len(New(secret).Text("report", s)) > 0 {
			t.Errorf("Leak.String() shows the value: %q", s)
		}
		if want := "stdout:1: secret #0 leaked"; !strings.HasPrefix(s, want) {
			t.Errorf("Leak.String() = %q, want it to start with %q", s, want)
		}
	}
}

func TestNoFalsePositives(t *testing.T) {
	t.Parallel()
	// Ciphertext-like base64 and hex of other data must not match.
	c := New("LEAK-9c1d77e0-xyz", "LEAK-5e02ab41-xyz")
	var text strings.Builder
	for i := range 200 {
		blob := []byte(fmt.Sprintf("ciphertext %d of another value", i))
		fmt.Fprintf(&text, "%s %s\n", base64.StdEncoding.EncodeToString(blob), hex.EncodeToString(blob))
	}
	if leaks := c.Text("out", text.String()); len(leaks) > 0 {
		t.Errorf("false positives: %v", leaks)
	}
}

func TestBase64Core(t *testing.T) {
	t.Parallel()
	value := []byte("0123456789abcdef")
	for shift := range 3 {
		for prefix := range 3 {
			for suffix := range 3 {
				msg := append(append(make([]byte, 3*prefix+shift), value...), make([]byte, suffix)...)
				core := base64Core(base64.RawStdEncoding, value, shift)
				if enc := base64.StdEncoding.EncodeToString(msg); !strings.Contains(enc, core) {
					t.Errorf("shift %d prefix %d suffix %d: %q does not contain core %q", shift, prefix, suffix, enc, core)
				}
			}
		}
	}
	if got := base64Core(base64.RawStdEncoding, []byte("a"), 1); got != "" {
		t.Errorf("core of a too short value = %q, want empty", got)
	}
}

func TestMasked(t *testing.T) {
	t.Parallel()
	stdout := "::group::Verify\n::add-mask::a%25b%0Ac\r\n  ::add-mask::indented\n::add-mask::\n::debug::x\n::add-mask::last"
	want := []string{"a%b\nc", "", "last"}
	if got := Masked(stdout); !slices.Equal(got, want) {
		t.Errorf("Masked = %q, want %q", got, want)
	}
}
