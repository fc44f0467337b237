package testbed

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// NodeModules runs npm ci in dir, an npm package, unless its node_modules was
// installed from the lockfile as it is: npm's record of the install in
// node_modules is newer than package-lock.json. Tests of one binary, and test
// binaries that go test runs at once, take turns on a lock file in the
// temporary directory, so that no test reads node_modules while npm ci
// replaces it. Without npm the test fails on CI and is skipped elsewhere
// (Program).
func NodeModules(t testing.TB, dir string) {
	t.Helper()
	dir, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(dir))
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "secret-baker-npm-ci-"+hex.EncodeToString(sum[:8])+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close() // and so unlocked
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatalf("failed to lock %s: %v", lock.Name(), err)
	}

	installed, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json"))
	lockfile, lockErr := os.Stat(filepath.Join(dir, "package-lock.json"))
	if err == nil && lockErr == nil && !installed.ModTime().Before(lockfile.ModTime()) {
		return
	}
	cmd := exec.Command(Program(t, "npm"), "ci", "--no-audit", "--no-fund")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
}
