package testbed

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Program finds a program a test needs on PATH: its absence fails the test
// on CI (CI=true) and skips it elsewhere, saying why.
func Program(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s required on CI: %v", name, err)
		}
		t.Skipf("%s not available: %v", name, err)
	}
	return path
}

// Abs returns path made absolute, for a program the test starts in another
// directory.
func Abs(t testing.TB, path string) string {
	t.Helper()
	a, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
