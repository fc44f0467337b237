package cli

import (
	"fmt"
	"strings"
	"testing"
)

// invisibles are characters that show nothing, or reorder what follows:
// zero-width space, soft hyphen, word joiner, BOM, a tag character, and the
// bidi controls right-to-left override and left-to-right isolate.
var invisibles = []rune{0x200b, 0x00ad, 0x2060, 0xfeff, 0xe0041, 0x202e, 0x2066}

// escapeOf is how every sink shows r.
func escapeOf(r rune) string {
	if r > 0xffff {
		return fmt.Sprintf(`\U%08x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// TestInvisibleCharactersInPaths: a file input holding an invisible or bidi
// character is refused as an invalid input (exit 2), before any AWS call,
// and every sink shows the character as an escape, never raw.
func TestInvisibleCharactersInPaths(t *testing.T) {
	t.Parallel()
	for _, r := range invisibles {
		for _, action := range []bool{false, true} {
			t.Run(fmt.Sprintf("%U/%s", r, modeName[action]), func(t *testing.T) {
				t.Parallel()
				f := newOfflineFixture(t)
				writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: /a\n"})
				file := "deployed" + string(r) + ".json"
				got, runner := runIn(t, f, action, map[string]string{"command": "verify", "file": file}, "verify", "--file", file)
				texts := map[string]string{"stdout": got.stdout, "stderr": got.stderr}
				if runner != nil {
					texts["summary"], texts["outputs"] = runner.read(t, "summary"), runner.read(t, "output")
				}
				if got.code != 2 || !strings.Contains(got.stdout+got.stderr, escapeOf(r)) {
					t.Errorf("exit %d, want 2 and %s shown\nstdout:\n%s\nstderr:\n%s", got.code, escapeOf(r), got.stdout, got.stderr)
				}
				for where, text := range texts {
					if strings.ContainsRune(text, r) {
						t.Errorf("%s holds %U raw:\n%s", where, r, text)
					}
				}
			})
		}
	}
}

// TestInvisibleCharactersInFindings: a regex holding invisible and bidi
// characters is quoted in its finding, and the annotation, the summary and
// the log show each as an escape.
func TestInvisibleCharactersInFindings(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	param := f.put(t, "/a", "value")
	regex := "^x"
	for _, r := range invisibles {
		regex += string(r)
	}
	writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: {path: " + param + ", regex: \"" + regex + "$\"}\n"})
	r := newRunner(t, f, nil)
	got := f.run(t, r.env)
	texts := map[string]string{"stdout": got.stdout, "stderr": got.stderr, "summary": r.read(t, "summary")}
	if got.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", got.code, got.stdout, got.stderr)
	}
	for _, ch := range invisibles {
		for where, text := range texts {
			if strings.ContainsRune(text, ch) {
				t.Errorf("%s holds %U raw", where, ch)
			}
		}
		if !strings.Contains(got.stdout, escapeOf(ch)) {
			t.Errorf("the annotation does not show %s:\n%s", escapeOf(ch), got.stdout)
		}
	}
}
