package spec_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/selector"
	"github.com/org/secret-baker/spec"
)

// FuzzParse feeds arbitrary documents to Parse (as a spec file and as a serverless.yml) and to
// ParseSecrets: they must not panic, and must either return secrets located in the input, each
// with a valid selector, or fail with *spec.Error values only, each located within the input.
func FuzzParse(f *testing.F) {
	root := f.TempDir() // holds no schema file: schema paths resolve to "not found"
	f.Fuzz(func(t *testing.T, data []byte, serverless bool) {
		name := "secret-baker.yml"
		if serverless {
			name = "serverless.yml"
		}
		file := filepath.Join(root, name)
		lines := yamlLines(string(data))

		s, err := spec.Parse(file, data, spec.Options{Root: root})
		checkResult(t, file, lines, err)
		if err == nil {
			checkSecrets(t, file, lines, s.Secrets)
		}

		secrets, err := spec.ParseSecrets("input:secrets", data, spec.Options{Root: root})
		checkResult(t, "input:secrets", lines, err)
		if err == nil {
			checkSecrets(t, "input:secrets", lines, secrets)
		}
	})
}

// checkResult checks that err, when set, joins located *spec.Error values only.
func checkResult(t *testing.T, file string, lines int, err error) {
	t.Helper()
	if err == nil {
		return
	}
	leaves := leafErrors(err)
	if len(leaves) == 0 {
		t.Fatalf("error without a spec.Error: %v", err)
	}
	for _, leaf := range leaves {
		e, ok := leaf.(*spec.Error)
		if !ok {
			t.Fatalf("error %q (%T) is not a *spec.Error", leaf, leaf)
		}
		checkLocation(t, "error "+e.Message, file, lines, e.Location)
	}
	if got := len(spec.Errors(err)); got != len(leaves) {
		t.Errorf("spec.Errors returns %d errors, the error joins %d", got, len(leaves))
	}
}

// checkSecrets checks the secrets of a successful parse.
func checkSecrets(t *testing.T, file string, lines int, secrets []spec.Secret) {
	t.Helper()
	if len(secrets) == 0 {
		t.Fatal("parse succeeded without secrets")
	}
	seen := map[string]bool{}
	for _, s := range secrets {
		if s.Name == "" || s.Parameter == "" {
			t.Errorf("secret %+v has an empty name or parameter", s)
		}
		if _, err := selector.Parse(s.Parameter); err != nil {
			t.Errorf("secret %q has a parameter that is no selector: %v", s.Name, err)
		}
		if seen[s.Name] {
			t.Errorf("secret %q returned twice", s.Name)
		}
		seen[s.Name] = true
		checkLocation(t, "secret "+s.Name, file, lines, s.Location)
	}
}

func checkLocation(t *testing.T, what, file string, lines int, loc spec.Location) {
	t.Helper()
	if loc.File != file || loc.Line < 1 || loc.Line > lines || loc.Column < 0 {
		t.Errorf("%s: location %s (line %d, column %d) is not within %s, %d line(s)", what, loc, loc.Line, loc.Column, file, lines)
	}
}

// leafErrors returns the errors err joins, recursively, that join no others.
func leafErrors(err error) []error {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var leaves []error
		for _, e := range joined.Unwrap() {
			leaves = append(leaves, leafErrors(e)...)
		}
		return leaves
	}
	return []error{err}
}

// yamlLines counts the lines of s as YAML does: CR LF, CR, LF, NEL, LS and PS each end a line.
func yamlLines(s string) int {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return 1 + strings.Count(s, "\n") + strings.Count(s, "\r") + strings.Count(s, "\u0085") + strings.Count(s, "\u2028") + strings.Count(s, "\u2029")
}
