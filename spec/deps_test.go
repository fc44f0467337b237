package spec_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestLinksNoAWS checks that the spec parser, and so its fuzz target, links no AWS SDK
// package: rules are compiled by the leaf package rules.
func TestLinksNoAWS(t *testing.T) {
	t.Parallel()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "github.com/org/secret-baker/rules") {
		t.Fatal("go list -deps does not list the rules package; the check below would prove nothing")
	}
	for _, dep := range deps {
		if strings.HasPrefix(dep, "github.com/aws/") {
			t.Errorf("package spec depends on %s", dep)
		}
	}
}
