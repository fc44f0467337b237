package leakcheck

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Leak is one appearance of a secret value.
type Leak struct {
	// Secret is the index of the value in New's arguments.
	Secret int
	// Form is how the value appeared: "value", "line 2", "hex", "base64 (std, shift 1)"...
	Form string
	// Where names the text or file it appeared in.
	Where string
	// Line is the 1-based line of the text or file where the appearance starts.
	Line int
}

// String describes the leak without the value.
func (l Leak) String() string {
	return fmt.Sprintf("%s:%d: secret #%d leaked (%s)", l.Where, l.Line, l.Secret, l.Form)
}

// Checker searches texts and files for a set of secret values.
type Checker struct {
	values [][]form // forms of each value, by index
	masks  map[string]bool

	mu      sync.Mutex
	exempt  map[string]bool // cleaned absolute paths
	checked int
}

// New returns a Checker for values, which should be distinctive from end to end, such as
// random strings: a value is searched for in every form, its first and last 16 bytes too when it
// is 32 bytes or longer, but derived forms shorter than 8 bytes are not. For a structured value
// such as a JSON document, give its distinctive parts instead.
func New(values ...string) *Checker {
	c := &Checker{masks: map[string]bool{}, exempt: map[string]bool{}}
	for _, v := range values {
		c.values = append(c.values, formsOf(v))
	}
	c.AllowMask(values...)
	return c
}

// AllowMask lets lines that mask values (see Text) pass too, such as the whole JSON document
// whose distinctive parts were given to New.
func (c *Checker) AllowMask(values ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, v := range values {
		c.masks[v] = true
		for _, line := range valueLines(v) {
			c.masks[line] = true
		}
	}
}

// Exempt excludes files from Files, such as a baked file of ciphertexts or an input that holds
// a value by design.
func (c *Checker) Exempt(paths ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range paths {
		c.exempt[absClean(p)] = true
	}
}

// Checked returns how many texts and files the Checker has searched.
func (c *Checker) Checked() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.checked
}

// Text searches the output text of a program, named where in leaks. Workflow commands that
// mask a value, lines exactly "::add-mask::" followed by a value or a line of a multi-line
// value (escaped as workflow command data), are how a value must reach the runner and are not
// leaks.
func (c *Checker) Text(where, text string) []Leak {
	lines := strings.SplitAfter(text, "\n")
	for i, line := range lines {
		if c.isMask(line) {
			lines[i] = "\n" // keeps the line numbers
		}
	}
	return c.search(where, strings.Join(lines, ""))
}

// isMask reports whether line masks one of the values.
func (c *Checker) isMask(line string) bool {
	masked := Masked(strings.TrimSuffix(line, "\n"))
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(masked) == 1 && c.masks[masked[0]]
}

// Files searches every regular file under roots (files or directories), except exempt ones,
// without following symbolic links.
func (c *Checker) Files(roots ...string) ([]Leak, error) {
	var leaks []Leak
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() || c.isExempt(path) {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			leaks = append(leaks, c.search(path, string(data))...)
			return nil
		})
		if err != nil {
			return leaks, fmt.Errorf("failed to search %s: %w", root, err)
		}
	}
	return leaks, nil
}

func (c *Checker) isExempt(path string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exempt[absClean(path)]
}

// search reports every appearance of every form of every value in text.
func (c *Checker) search(where, text string) []Leak {
	c.mu.Lock()
	c.checked++
	c.mu.Unlock()
	var leaks []Leak
	for i, forms := range c.values {
		for _, f := range forms {
			for at := 0; ; {
				j := strings.Index(text[at:], f.text)
				if j < 0 {
					break
				}
				at += j
				leaks = append(leaks, Leak{Secret: i, Form: f.name, Where: where, Line: 1 + strings.Count(text[:at], "\n")})
				at += len(f.text)
			}
		}
	}
	slices.SortStableFunc(leaks, func(a, b Leak) int { return a.Line - b.Line })
	return leaks
}

// AssertNone fails t for every leak in texts (name → content, searched with Text) and in the
// files under roots.
func (c *Checker) AssertNone(t testing.TB, texts map[string]string, roots ...string) {
	t.Helper()
	var leaks []Leak
	names := make([]string, 0, len(texts))
	for name := range texts {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		leaks = append(leaks, c.Text(name, texts[name])...)
	}
	fileLeaks, err := c.Files(roots...)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range append(leaks, fileLeaks...) {
		t.Errorf("leak: %s", l)
	}
}

func absClean(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// Masked returns the values that the workflow commands in stdout register with the runner's
// mask, unescaped, in order.
func Masked(stdout string) []string {
	var masked []string
	for _, line := range strings.Split(stdout, "\n") {
		if data, ok := strings.CutPrefix(strings.TrimSuffix(line, "\r"), "::add-mask::"); ok {
			masked = append(masked, unescapeCommandData(data))
		}
	}
	return masked
}

// AssertNotRendered fails t when the %+v or %#v rendering of v, such as a result or an error,
// contains any of values.
func AssertNotRendered(t testing.TB, v any, values ...string) {
	t.Helper()
	out := fmt.Sprintf("%+v\n%#v", v, v)
	for _, s := range values {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("output contains secret %q:\n%s", s, out)
		}
	}
}
