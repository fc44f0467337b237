// Package linkcheck lists what a package links, for the tests that keep a package free of
// dependencies it must not have.
package linkcheck

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// Deps returns the packages that the package in the working directory depends on, as
// go list -deps prints them. It fails t unless they include must, a dependency that shows the
// list is the real one.
func Deps(t testing.TB, must string) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, must) {
		t.Fatalf("go list -deps does not list %s; a check of the list would prove nothing", must)
	}
	return deps
}
