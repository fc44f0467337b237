package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/bakedtest"
	"github.com/org/secret-baker/internal/testing/testbed"
)

const region = "eu-west-1"

// wrapperRun is what one run of the wrapper did.
type wrapperRun struct {
	stdout, stderr string
	code           int
	pid            int
}

// harness runs the built wrapper in front of the test binary as the
// stand-in runtime, against a proxy that counts the KMS calls.
type harness struct {
	t       *testing.T
	wrapper string
	proxy   *testbed.Proxy
	taskDir string // LAMBDA_TASK_ROOT
	tmp     string // TMPDIR
}

// buildWrapper builds the wrapper into a directory that t removes.
func buildWrapper(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "secret-baker-exec")
	cmd := exec.Command("go", "build", "-trimpath", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// newHarness bakes values and returns a harness whose task root holds the
// baked file.
func newHarness(t *testing.T, wrapper string, values map[string]string) (*harness, *bakedtest.Fixture) {
	t.Helper()
	emu := testbed.Shared(t)
	fx := bakedtest.Bake(t, emu, region, values)
	return &harness{t: t, wrapper: wrapper, proxy: emu.Proxy(t), taskDir: fx.Dir, tmp: t.TempDir()}, fx
}

// freshProxy puts a new proxy in front of the emulator, to count the calls
// of the runs that follow.
func (h *harness) freshProxy() {
	h.proxy = testbed.Shared(h.t).Proxy(h.t)
}

// run runs the wrapper with the stand-in runtime reporting vars, env added
// to a Lambda-like environment, and args after the runtime's program.
func (h *harness) run(vars []string, env []string, args ...string) wrapperRun {
	h.t.Helper()
	self, err := os.Executable()
	if err != nil {
		h.t.Fatal(err)
	}
	return h.runWrapper(append([]string{self}, args...), vars, env)
}

// runWrapper runs the wrapper with argv as its arguments.
func (h *harness) runWrapper(argv, vars, env []string) wrapperRun {
	h.t.Helper()
	cmd := exec.Command(h.wrapper, argv...)
	cmd.Env = append(h.proxy.Env(region),
		"PATH="+os.Getenv("PATH"),
		"LAMBDA_TASK_ROOT="+h.taskDir,
		"TMPDIR="+h.tmp,
		childVar+"="+strings.Join(vars, ","))
	cmd.Env = append(cmd.Env, env...) // os/exec keeps the last of a name
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := wrapperRun{stdout: stdout.String(), stderr: stderr.String(), pid: cmd.Process.Pid}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		r.code = exit.ExitCode()
	case err != nil:
		h.t.Fatal(err)
	}
	return r
}

// refused fails the test unless the run stopped before any AWS call, with
// exit code 2, for its input.
func (h *harness) refused(r wrapperRun, want ...string) {
	h.t.Helper()
	stopped(h.t, r, 2, want...)
	if calls := h.proxy.CallsTotal(); len(calls) != 0 {
		h.t.Errorf("AWS calls %v, want none", calls)
	}
}

// failed fails the test unless the run stopped after calling KMS, with exit
// code 1.
func (h *harness) failed(r wrapperRun, want ...string) {
	h.t.Helper()
	stopped(h.t, r, 1, want...)
	if h.proxy.Calls("kms:Decrypt") == 0 {
		h.t.Error("no kms:Decrypt call; the failure was meant to be KMS's")
	}
}

// stopped fails t unless r exited with code without starting the runtime,
// with a message holding each of want.
func stopped(t *testing.T, r wrapperRun, code int, want ...string) {
	t.Helper()
	if r.code != code || r.stdout != "" {
		t.Errorf("exit code %d, runtime output %q; want %d, a failure before the runtime starts", r.code, r.stdout, code)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr %q does not hold %q", r.stderr, w)
		}
	}
}

// writeFile writes f as a baked file in a new directory and returns its path.
func writeFile(t *testing.T, f baked.File) string {
	t.Helper()
	data, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), baked.DefaultName)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
