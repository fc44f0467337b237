package main

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/linkcheck"
)

// TestBinaryLinksNoTestSupport: the program links no test support
// (internal/testing/...) and no developer tool (tools/...).
func TestBinaryLinksNoTestSupport(t *testing.T) {
	t.Parallel()
	for _, pkg := range linkcheck.Deps(t, "github.com/org/secret-baker/internal/cli") {
		for _, forbidden := range []string{"github.com/org/secret-baker/internal/testing/", "github.com/org/secret-baker/tools/"} {
			if strings.HasPrefix(pkg, forbidden) {
				t.Errorf("the binary links %s", pkg)
			}
		}
	}
}
