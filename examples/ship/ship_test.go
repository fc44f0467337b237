// Package ship_test checks the README's "Ship the baked file" snippets: it
// bakes on the emulator with the real secret-baker program, as a workflow step
// would, runs each deploy tool that can run here (osls, the CDK CLI, the SAM
// CLI, zip) on the example project beside this file, and checks that the
// tool's artifact holds the baked file with the digest the step output, and
// that `secret-baker verify` says so of the artifact itself. It
// also runs the step as on a self-hosted runner on EC2 (the instance role
// through IMDSv2).
//
// The npm deploy tools are installed once per lockfile into the user's cache
// directory; the SAM CLI and cfn-lint come from the virtual environment that
// .ci/run makes (venvTool). Without a tool the tests skip, unless CI is
// "true"; a failed install always fails them.
package ship_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

const region = "eu-west-1"

// toolTimeout bounds one run of npm or a deploy tool.
const toolTimeout = 10 * time.Minute

func TestMain(m *testing.M) {
	testbed.Main(m)
}

// secretBaker builds the secret-baker program from this module's main package
// into a temporary directory of t and returns its path. The Go build cache
// makes every build after the first a link.
func secretBaker(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret-baker")
	cmd := exec.Command(testbed.Program(t, "go"), "build", "-o", path, "github.com/org/secret-baker")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("failed to build secret-baker: %v\n%s", err, out)
	}
	return path
}

// stepRunner runs the secret-baker program as a workflow step, against the
// emulator through a proxy that counts its calls.
type stepRunner struct {
	program string
	proxy   *testbed.Proxy
	// env, when set, rewrites the step's environment before it runs.
	env func([]string) []string
}

func newStepRunner(t *testing.T, p *testbed.Proxy) *stepRunner {
	t.Helper()
	return &stepRunner{program: secretBaker(t), proxy: p}
}

// run runs the program in workspace the way the Actions runner runs the
// container step: GITHUB_ACTIONS=true, the inputs as INPUT_<NAME>, the step's
// outputs in a GITHUB_OUTPUT file. It returns the step's outputs and fails
// the test unless the step succeeds.
func (r *stepRunner) run(t *testing.T, workspace string, inputs map[string]string) map[string]string {
	t.Helper()
	runner := t.TempDir()
	outputFile := filepath.Join(runner, "output")
	env := append(r.proxy.Env(region),
		"PATH="+os.Getenv("PATH"),
		"HOME="+runner,
		"TMPDIR="+runner,
		"GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE="+workspace,
		"GITHUB_OUTPUT="+outputFile,
		"GITHUB_STEP_SUMMARY="+filepath.Join(runner, "summary"),
	)
	for name, value := range inputs {
		env = append(env, "INPUT_"+strings.ToUpper(name)+"="+value)
	}
	if r.env != nil {
		env = r.env(env)
	}
	cmd := exec.Command(r.program)
	cmd.Dir, cmd.Env = workspace, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("secret-baker step: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.Bytes(), stderr.Bytes())
	}
	data, err := os.ReadFile(outputFile)
	if err != nil {
		t.Fatal(err)
	}
	outputs, err := parseOutputs(string(data))
	if err != nil {
		t.Fatalf("GITHUB_OUTPUT: %v\n%s", err, data)
	}
	return outputs
}

// verifyArtifact runs `secret-baker verify --file artifact --expected-digest
// digest`, with the spec's flags, in workspace, as a deploy job checks the
// artifact a tool built before it ships it, and fails the test unless the
// program verified the baked file at the artifact's root.
func (r *stepRunner) verifyArtifact(t *testing.T, workspace, artifact, digest string, specFlags ...string) {
	t.Helper()
	tmp := t.TempDir()
	cmd := exec.Command(r.program, append([]string{"verify", "--file", artifact, "--expected-digest", digest}, specFlags...)...)
	cmd.Dir = workspace
	cmd.Env = append(r.proxy.Env(region), "PATH="+os.Getenv("PATH"), "HOME="+tmp, "TMPDIR="+tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("secret-baker verify --file %s: %v\nstdout:\n%s\nstderr:\n%s", artifact, err, stdout.Bytes(), stderr.Bytes())
	}
	if want := " secret(s) in " + artifact + "!" + baked.DefaultName + " (" + digest + ")\n"; !strings.Contains(stdout.String(), want) {
		t.Errorf("secret-baker verify --file %s: stdout lacks %q:\n%s", artifact, want, stdout.Bytes())
	}
}

// inlineSecrets stores values (secret name to plaintext) as SecureStrings
// under a prefix unique to t and a new customer managed key, and returns the
// secrets input that declares them.
func inlineSecrets(t *testing.T, emu *testbed.Emulator, values map[string]string) string {
	t.Helper()
	ctx := context.Background()
	seed := emu.Seeder(region)
	keyID, _, err := seed.CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	prefix := testbed.UniquePrefix(t)
	var secrets strings.Builder
	for name, value := range values {
		parameter := prefix + "/" + name
		if _, err := seed.PutSecureString(ctx, parameter, value, keyID); err != nil {
			t.Fatal(err)
		}
		secrets.WriteString(name + ": " + parameter + "\n")
	}
	return secrets.String()
}

// parseOutputs reads a GITHUB_OUTPUT file of "name<<DELIMITER" blocks.
func parseOutputs(data string) (map[string]string, error) {
	outputs := map[string]string{}
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			return nil, errors.New("line " + lines[i] + " is not name<<DELIMITER")
		}
		var value []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			value = append(value, lines[i])
		}
		if i == len(lines) {
			return nil, errors.New("output " + name + " has no closing delimiter")
		}
		outputs[name] = strings.Join(value, "\n")
	}
	return outputs, nil
}

var npmInstalls sync.Map // lockfile digest -> *sync.Mutex

// npmTools installs the npm project in dir (its package.json and
// package-lock.json, with npm ci) into the user's cache directory, once per
// lockfile content, and returns the directory holding node_modules.
func npmTools(t *testing.T, dir string) string {
	t.Helper()
	npm := testbed.Program(t, "npm")
	testbed.Program(t, "node")
	manifest, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	lock, err := os.ReadFile(filepath.Join(dir, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append(append(manifest, 0), lock...))
	key := hex.EncodeToString(sum[:8])
	mu, _ := npmInstalls.LoadOrStore(key, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	root := filepath.Join(cache, "secret-baker", "npm", filepath.Base(dir)+"-"+key)
	done := filepath.Join(root, "node_modules", ".secret-baker-installed")
	if _, err := os.Stat(done); err == nil {
		return root
	}
	if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
		t.Fatal(err)
	}
	staging, err := os.MkdirTemp(filepath.Dir(root), filepath.Base(root)+".tmp-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(staging)
	for name, data := range map[string][]byte{"package.json": manifest, "package-lock.json": lock} {
		if err := os.WriteFile(filepath.Join(staging, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	// No install scripts: the tools run without them (esbuild finds its
	// platform package), and a dependency's script is code nobody reviewed.
	cmd := exec.CommandContext(ctx, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error")
	cmd.Dir = staging
	started := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm ci of %s failed, so the deploy tool test cannot run: %v\n%s", dir, err, out)
	}
	t.Logf("npm ci of %s took %v", dir, time.Since(started).Round(time.Second))
	if err := os.WriteFile(filepath.Join(staging, "node_modules", ".secret-baker-installed"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(root) // an unfinished earlier install
	if err := os.Rename(staging, root); err != nil {
		t.Fatal(err)
	}
	return root
}

// toolEnv is the environment deploy tools run in: offline (every proxy
// variable points at a closed port and so does AWS_ENDPOINT_URL, so any
// network call fails fast instead of leaving the machine), with dummy AWS
// credentials, telemetry off and home in a temporary directory.
func toolEnv(t *testing.T, binDirs ...string) []string {
	t.Helper()
	const dead = "http://127.0.0.1:9"
	home := t.TempDir()
	path := strings.Join(append(binDirs, os.Getenv("PATH")), string(os.PathListSeparator))
	return []string{
		"PATH=" + path,
		"HOME=" + home,
		"TMPDIR=" + home,
		"CI=true",
		"HTTP_PROXY=" + dead, "HTTPS_PROXY=" + dead, "http_proxy=" + dead, "https_proxy=" + dead,
		"NO_PROXY=", "no_proxy=",
		"npm_config_offline=true",
		"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
		"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_REGION=" + region,
		"AWS_DEFAULT_REGION=" + region,
		"AWS_ENDPOINT_URL=" + dead,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
		"SLS_TELEMETRY_DISABLED=1",
		"SLS_TRACKING_DISABLED=1",
		"SLS_NOTIFICATIONS_MODE=off",
		"CDK_DISABLE_CLI_TELEMETRY=true",
		"CDK_DISABLE_VERSION_CHECK=true",
		"SAM_CLI_TELEMETRY=0",
	}
}

// runTool runs a deploy tool in dir with env and fails the test unless it
// succeeds.
func runTool(t *testing.T, dir string, env []string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	started := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	t.Logf("%s %s took %v", filepath.Base(name), strings.Join(args, " "), time.Since(started).Round(100*time.Millisecond))
}

// copyFiles copies files (paths relative to from) into the same paths under to.
func copyFiles(t *testing.T, from, to string, files ...string) {
	t.Helper()
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(to, name)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// fileDigest is "sha256:<hex>" of the file at path, as the digest output is.
func fileDigest(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return digest(data)
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// zipEntries returns the files of the zip archive at path, name to content.
func zipEntries(t *testing.T, path string) map[string][]byte {
	t.Helper()
	r, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	files := map[string][]byte{}
	for _, f := range r.File {
		if f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = data
	}
	return files
}
