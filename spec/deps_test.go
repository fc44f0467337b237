package spec_test

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/linkcheck"
)

// TestLinksNoAWS checks that the spec parser, and so its fuzz target, links no AWS SDK
// package: rules are compiled by the leaf package rules.
func TestLinksNoAWS(t *testing.T) {
	t.Parallel()
	for _, dep := range linkcheck.Deps(t, "github.com/org/secret-baker/rules") {
		if strings.HasPrefix(dep, "github.com/aws/") {
			t.Errorf("package spec depends on %s", dep)
		}
	}
}
