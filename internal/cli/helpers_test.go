package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// runMainEnv makes the test binary act as the secret-baker binary, so that
// end-to-end tests run the real program, race detector included, as a
// separate process with its own environment.
const runMainEnv = "SECRET_BAKER_TEST_RUN_MAIN"

// testNowEnv sets, in RFC 3339, the clock of the program a test runs as a
// separate process (runMainEnv), so that age policies are tested on both
// sides of their bounds. Only the test binary reads it.
const testNowEnv = "SECRET_BAKER_TEST_NOW"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		if v := os.Getenv(testNowEnv); v != "" {
			now, err := time.Parse(time.RFC3339, v)
			if err != nil {
				panic(err)
			}
			clock = func() time.Time { return now }
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	testbed.Main(m)
}

// repoRoot is the repository's root, relative to this package.
const repoRoot = "../.."

// result is what one run of the program left behind.
type result struct {
	stdout, stderr string
	code           int
}

// runProgram runs secret-baker with args in dir, with exactly env as its
// environment.
func runProgram(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(env, runMainEnv+"=1", "TMPDIR="+t.TempDir(), "GORACE=atexit_sleep_ms=0")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("failed to run secret-baker: %v", err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// runInProcess runs Main in this process with workspace as
// GITHUB_WORKSPACE and env (KEY=VALUE, the last of a key winning) as the rest
// of its environment.
func runInProcess(t *testing.T, workspace string, env []string, args ...string) result {
	t.Helper()
	vars := map[string]string{"GITHUB_WORKSPACE": workspace}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	var stdout, stderr strings.Builder
	code := Main(t.Context(), args, func(k string) string { return vars[k] }, &stdout, &stderr)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// writeFiles creates files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
