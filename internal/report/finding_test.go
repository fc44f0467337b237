package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// render lists findings as "title | location: message".
func render(fs []Finding) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.Title() + " | " + f.String()
	}
	return strings.Join(lines, "\n")
}

func TestFindingsOf(t *testing.T) {
	t.Parallel()
	_, specErr := spec.Parse("spec.yml", []byte("secrets:\n  A: [x\n"), spec.Options{})
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"located spec errors", specErr, "Invalid secret-baker spec | spec.yml:3:1: malformed YAML"},
		{"findings", Findings{{Kind: KindAccount, Detail: "m", Location: spec.Location{File: "f", Line: 1}}}, "AWS account not allowed | f:1: m"},
		{"any other error", errors.New("failed to load AWS configuration: x"), "secret-baker failed | failed to load AWS configuration: x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := render(FindingsOf(tt.err)); !strings.HasPrefix(got, tt.want) {
				t.Errorf("findingsOf() = %s, want a start of %s", got, tt.want)
			}
		})
	}
}

func TestMismatchTitles(t *testing.T) {
	t.Parallel()
	for _, reason := range []error{verify.ErrMissing, verify.ErrOtherParameter, verify.ErrOtherVersion, verify.ErrUndeclared, baked.ErrInvalidSelector} {
		if got := (Finding{Kind: KindMismatch, Reason: reason}).Title(); got == "Baked file does not match the spec" {
			t.Errorf("no title of its own for %v", reason)
		}
	}
}
