package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/internal/testing/golden"
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
// environment, and a TMPDIR of its own unless env sets one.
func runProgram(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{"TMPDIR=" + t.TempDir()}, env...), runMainEnv+"=1", "GORACE=atexit_sleep_ms=0")
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

// noCallsEndpoint returns the URL of a server that fails the test on any
// request it receives by the end of the test.
func noCallsEndpoint(t *testing.T) string {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "no call expected", http.StatusForbidden)
	}))
	t.Cleanup(func() {
		srv.Close()
		if n := calls.Load(); n != 0 {
			t.Errorf("%d request(s) made, want none", n)
		}
	})
	return srv.URL
}

// runner is the environment the GitHub Actions runner gives a container
// step: every input of action.yml as INPUT_* (defaults included), and the
// files behind GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_ENV.
type actionRunner struct {
	dir string
	env []string
}

func newRunner(t *testing.T, f *fixture, with map[string]string) *actionRunner {
	t.Helper()
	r := &actionRunner{dir: t.TempDir()}
	for name, def := range actionInputs(t) {
		if v, ok := with[name]; ok {
			def = v
		}
		r.env = append(r.env, "INPUT_"+strings.ToUpper(name)+"="+def)
	}
	for name := range with {
		if _, ok := actionInputs(t)[name]; !ok {
			t.Fatalf("action.yml has no input %q", name)
		}
	}
	r.env = append(r.env,
		"GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE="+f.workspace,
		"GITHUB_OUTPUT="+r.file("output"),
		"GITHUB_STEP_SUMMARY="+r.file("summary"),
		"GITHUB_ENV="+r.file("env"),
	)
	return r
}

func (r *actionRunner) file(name string) string { return filepath.Join(r.dir, name) }

func (r *actionRunner) read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(r.file(name))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

// normalize replaces what changes from run to run with stable words; masks
// are registered in the order decryptions finish, and the emulator dates
// parameter versions with the time they were put.
func normalize(f *fixture, s string) string {
	s = regexp.MustCompile(`(?m)^::add-mask::.*$`).ReplaceAllString(s, "::add-mask::VALUE")
	s = strings.ReplaceAll(s, f.prefix, "/PREFIX")
	s = strings.ReplaceAll(s, escape.Markdown(f.prefix), escape.Markdown("/PREFIX")) // in the summary's text
	s = strings.ReplaceAll(s, f.keyID, "KEY-ID")
	s = regexp.MustCompile(`ghadelimiter_[0-9a-f]{32}`).ReplaceAllString(s, "DELIMITER")
	s = regexp.MustCompile(`sha256:[0-9a-f]{64}`).ReplaceAllString(s, "sha256:DIGEST")
	s = regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)? UTC`).ReplaceAllString(s, "DATE")
	return s
}

// unescapeMarkdown undoes escape.Markdown's backslashes, for tests that look
// for a message in the summary's text.
func unescapeMarkdown(s string) string {
	return regexp.MustCompile("\\\\([!-/:-@\\[-`{-~])").ReplaceAllString(s, "$1")
}

// checkGolden compares got with the golden file testdata/action/name.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "action", name), got)
}

// oidcEndpoint is the runner's token service: it checks the bearer token and
// the audience and issues an unsigned JWT with the usual claims.
func oidcEndpoint(t *testing.T, audience string) []string {
	t.Helper()
	const bearer = "runtime-request-token"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+bearer {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		if got := r.URL.Query().Get("audience"); got != audience {
			http.Error(w, "bad audience "+got, http.StatusBadRequest)
			return
		}
		claims, _ := json.Marshal(map[string]any{"sub": "repo:org/app:ref:refs/heads/main", "aud": audience, "repository": "org/app", "ref": "refs/heads/main"})
		enc := base64.RawURLEncoding.EncodeToString
		token := enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." + enc(claims) + ".c2lnbmF0dXJl"
		json.NewEncoder(w).Encode(map[string]string{"value": token})
	}))
	t.Cleanup(srv.Close)
	return []string{"ACTIONS_ID_TOKEN_REQUEST_URL=" + srv.URL + "/_apis/actions/idtoken?api-version=2.0", "ACTIONS_ID_TOKEN_REQUEST_TOKEN=" + bearer}
}

// setup is what one bad-input case puts in place.
type setup struct {
	spec  string            // spec content; "" means none written
	files map[string]string // more workspace files
	args  []string          // CLI arguments
	with  map[string]string // Action inputs (Action mode when set)
	env   []string          // extra environment
}

const region = "us-east-1"

// fixture is one test's slice of the shared emulator: a proxy that counts its
// calls, a customer-managed key and a workspace. An offline fixture has the
// workspace only, and runs the program in-process.
type fixture struct {
	emu       *testbed.Emulator
	proxy     *testbed.Proxy
	seeder    *testbed.Seeder
	prefix    string
	keyID     string
	keyARN    string
	keyAlias  string
	workspace string
	// noCalls is the endpoint of an offline fixture, which fails the test
	// on any request.
	noCalls string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	emu := testbed.Shared(t)
	f := &fixture{emu: emu, proxy: emu.Proxy(t), seeder: emu.Seeder(region), prefix: testbed.UniquePrefix(t), workspace: t.TempDir()}
	f.keyAlias = "alias" + f.prefix
	var err error
	f.keyID, f.keyARN, err = f.seeder.CreateKey(context.Background(), f.keyAlias)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// newOfflineFixture returns a fixture without the emulator, for runs that
// fail before any AWS call: any request, to AWS or to the OIDC token
// endpoint, fails the test.
func newOfflineFixture(t *testing.T) *fixture {
	return &fixture{workspace: t.TempDir(), noCalls: noCallsEndpoint(t)}
}

// put stores a SecureString under the fixture's key and returns its full name.
func (f *fixture) put(t *testing.T, name, value string) string {
	t.Helper()
	full := f.prefix + name
	if _, err := f.seeder.PutSecureString(context.Background(), full, value, f.keyID); err != nil {
		t.Fatal(err)
	}
	return full
}

// run runs the program in the fixture's workspace against the proxy, or, for
// an offline fixture, in-process with AWS_REGION set.
func (f *fixture) run(t *testing.T, extraEnv []string, args ...string) result {
	t.Helper()
	if f.emu == nil {
		env := []string{"AWS_REGION=" + region, "AWS_ENDPOINT_URL=" + f.noCalls,
			"ACTIONS_ID_TOKEN_REQUEST_URL=" + f.noCalls, "ACTIONS_ID_TOKEN_REQUEST_TOKEN=t"}
		return runInProcess(t, f.workspace, append(env, extraEnv...), args...)
	}
	return runProgram(t, f.workspace, append(f.proxy.Env(region), extraEnv...), args...)
}

// mustRun runs the program like run and fails the test unless it succeeds.
func (f *fixture) mustRun(t *testing.T, extraEnv []string, args ...string) result {
	t.Helper()
	got := f.run(t, extraEnv, args...)
	if got.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	return got
}

// readBaked parses the baked file at the default output path.
func (f *fixture) readBaked(t *testing.T) baked.File {
	t.Helper()
	file, err := baked.Parse(f.readOutput(t, baked.DefaultName))
	if err != nil {
		t.Fatal(err)
	}
	return file
}

func (f *fixture) readOutput(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.workspace, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// verifiedSpec seeds n secrets whose values pass the validators the spec declares for them
// and returns the spec.
func verifiedSpec(t *testing.T, f *fixture, n int) string {
	t.Helper()
	var spec strings.Builder
	spec.WriteString("secrets:\n")
	for i := range n {
		name := fmt.Sprintf("S%02d", i)
		fmt.Fprintf(&spec, "  %s:\n    path: %s\n    regex: '^value-[0-9]+$'\n", name, f.put(t, "/"+name, fmt.Sprint("value-", i)))
	}
	return spec.String()
}

// process is a secret-baker started in the background.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr bytes.Buffer
	done           chan struct{} // closed once the process has exited
	res            result        // set before done is closed
}

// startProgram starts secret-baker as runProgram runs it; the end of the test kills it if it
// still runs.
func startProgram(t *testing.T, dir string, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(os.Args[0], args...), done: make(chan struct{})}
	p.cmd.Dir = dir
	p.cmd.Env = append(env, runMainEnv+"=1", "TMPDIR="+t.TempDir())
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("failed to start secret-baker: %v", err)
	}
	go func() {
		err := p.cmd.Wait()
		p.res = result{stdout: p.stdout.String(), stderr: p.stderr.String(), code: p.cmd.ProcessState.ExitCode()}
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			p.res.stderr += "\nwait: " + err.Error()
		}
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait waits for the process to exit and returns what it left; its code is -1 when a signal
// ended it.
func (p *process) wait() result {
	<-p.done
	return p.res
}

const specPath = ".github/secret-baker.yml"

func equalCounts(got, want map[string]int) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// leakValue returns a value no program output could contain by chance:
// "LEAK-<random>-<kind>-xyz".
func leakValue(t *testing.T, kind string) string {
	t.Helper()
	buf := make([]byte, 8)
	if _, err := rand.Read(buf); err != nil {
		t.Fatal(err)
	}
	return "LEAK-" + hex.EncodeToString(buf) + "-" + kind + "-xyz"
}

// modeName names a run's mode in subtest names.
var modeName = map[bool]string{false: "CLI", true: "Action"}

// runIn runs the program as a CLI with args or, when action is set, as an Action with the
// inputs with; r is the Action's runner, nil for the CLI.
func runIn(t *testing.T, f *fixture, action bool, with map[string]string, args ...string) (got result, r *actionRunner) {
	t.Helper()
	if !action {
		return f.run(t, nil, args...), nil
	}
	r = newRunner(t, f, with)
	return f.run(t, r.env), r
}

// readSpec returns the fixture's spec file.
func (f *fixture) readSpec(t *testing.T) []byte {
	t.Helper()
	return f.readOutput(t, specPath)
}
