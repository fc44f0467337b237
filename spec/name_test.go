package spec

import (
	"testing"

	"github.com/org/secret-baker/baked"
)

// TestNamePatternIsTheBakedFiles checks that the spec's secret names follow
// the baked file's grammar of names, which spec repeats rather than import:
// package baked links the KMS client.
func TestNamePatternIsTheBakedFiles(t *testing.T) {
	t.Parallel()
	if got := namePattern.String(); got != baked.NamePattern {
		t.Errorf("spec's name pattern is %s, the baked file's %s", got, baked.NamePattern)
	}
}
