package ship_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// serverlessValues are the plaintexts of the parameters serverless.yml
// declares: beyond ASCII, and several lines.
var serverlessValues = map[string]string{
	"/app/dev/api-token":   "tok_0123456789abcdef",
	"/app/dev/signing-key": "sïgning-kéy-🔑",
	"/app/dev/db-password": "pässwörd\nsecond line",
}

// TestServerlessPackage is the migration of a serverless-secret-baker user:
// the step bakes from serverless.yml's custom.secretBaker, `osls package`
// (the maintained fork of Serverless Framework v3) zips the service,
// secret-baker verify checks the zip, and the function's handler, run out of the unzipped artifact, decrypts every secret
// on the emulator.
func TestServerlessPackage(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	tools := npmTools(t, "serverless")
	python := testbed.Program(t, "python3")
	node := testbed.Program(t, "node")

	service := t.TempDir()
	copyFiles(t, "serverless", service, "serverless.yml")
	copyFiles(t, "../python", service, "handler.py")
	// The reader package vendored beside the handler, as pip install --target does.
	copyFiles(t, "../../readers/python", service, "secret_baker_reader/__init__.py", "secret_baker_reader/py.typed")
	values := seedServerless(t, emu, filepath.Join(service, "serverless.yml"))
	names := slices.Sorted(maps.Keys(values))

	p := emu.Proxy(t)
	steps := newStepRunner(t, p)
	outputs := steps.run(t, service, map[string]string{"config": "serverless.yml"})
	if outputs["file"] != baked.DefaultName {
		t.Fatalf("file output = %q, want %q", outputs["file"], baked.DefaultName)
	}

	runTool(t, service, toolEnv(t), node, filepath.Join(tools, "node_modules", "osls", "bin", "serverless.js"), "package")

	artifact := zipEntries(t, filepath.Join(service, ".serverless", "app.zip"))
	data, ok := artifact[baked.DefaultName]
	if !ok {
		t.Fatalf("the artifact holds %v, not %s", slices.Sorted(maps.Keys(artifact)), baked.DefaultName)
	}
	if got := digest(data); got != outputs["digest"] {
		t.Errorf("the artifact's %s has digest %s, the step output %s", baked.DefaultName, got, outputs["digest"])
	}
	steps.verifyArtifact(t, service, ".serverless/app.zip", outputs["digest"], "--config", "serverless.yml")

	// The function as Lambda runs it: the unzipped artifact is the task root.
	taskRoot := t.TempDir()
	for name, content := range artifact {
		path := filepath.Join(taskRoot, filepath.FromSlash(name))
		if !filepath.IsLocal(name) {
			t.Fatalf("artifact entry %q is outside the task root", name)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	decrypts := p.Calls("kms:Decrypt")
	// The init phase alone, as SnapStart snapshots it: importing the handler
	// module makes no KMS call.
	runPython(t, python, taskRoot, p, "import sys; sys.path.insert(0, sys.argv[1]); import handler")
	if n := p.Calls("kms:Decrypt") - decrypts; n != 0 {
		t.Errorf("importing the handler made %d KMS Decrypt calls, want none before the first lookup", n)
	}
	got := runHandler(t, python, taskRoot, p, names)
	for _, name := range names {
		if want := hexDigest(values[name]); got.Digests[name] != want {
			t.Errorf("%s decrypted to a value with SHA-256 %s, want %s", name, got.Digests[name], want)
		}
	}
	mac := hmac.New(sha256.New, []byte(values["SIGNING_KEY"]))
	mac.Write([]byte("hello"))
	if want := hex.EncodeToString(mac.Sum(nil)); got.Signature != want {
		t.Errorf("the function's handler signed with another key: %s, want %s", got.Signature, want)
	}
	if n := p.Calls("kms:Decrypt") - decrypts; n != len(names) {
		t.Errorf("the handler made %d KMS Decrypt calls for %d secrets, want one each", n, len(names))
	}
}

// seedServerless stores every parameter custom.secretBaker declares in the
// serverless.yml at path, under one new customer managed key, and returns the
// plaintext of each secret by name.
func seedServerless(t *testing.T, emu *testbed.Emulator, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var service struct {
		Custom struct {
			SecretBaker []yaml.Node `yaml:"secretBaker"`
		} `yaml:"custom"`
	}
	if err := yaml.Unmarshal(data, &service); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	seed := emu.Seeder(region)
	keyID, _, err := seed.CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, node := range service.Custom.SecretBaker {
		var entry struct{ Name, Path string }
		if node.Kind == yaml.ScalarNode {
			entry.Name, entry.Path = node.Value, node.Value
		} else if err := node.Decode(&entry); err != nil {
			t.Fatal(err)
		}
		value, ok := serverlessValues[entry.Path]
		if !ok {
			t.Fatalf("serverless.yml declares %s, which the test has no value for", entry.Path)
		}
		if _, err := seed.PutSecureString(ctx, entry.Path, value, keyID); err != nil {
			t.Fatal(err)
		}
		values[entry.Name] = value
	}
	return values
}

// handlerReport is what handlerDriver prints: digests, never plaintexts.
type handlerReport struct {
	Digests   map[string]string `json:"digests"`
	Signature string            `json:"signature"`
}

// handlerDriver imports the handler module from the task root, as the Python
// Lambda runtime does, looks every secret up, and calls the handler.
const handlerDriver = `
import hashlib, json, sys
sys.path.insert(0, sys.argv[1])
import handler, secret_baker_reader
digests = {n: hashlib.sha256(secret_baker_reader.get(n).encode("utf-8")).hexdigest() for n in sys.argv[2:]}
signature = handler.handler({"message": "hello"}, None)["signature"]
print(json.dumps({"digests": digests, "signature": signature}))
`

func runHandler(t *testing.T, python, taskRoot string, p *testbed.Proxy, names []string) handlerReport {
	t.Helper()
	var report handlerReport
	if err := json.Unmarshal(runPython(t, python, taskRoot, p, handlerDriver, names...), &report); err != nil {
		t.Fatalf("handler report: %v", err)
	}
	return report
}

// runPython runs code with the task root as its first argument, in the
// environment Lambda gives a function, and returns its stdout.
func runPython(t *testing.T, python, taskRoot string, p *testbed.Proxy, code string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(python, append([]string{"-c", code, taskRoot}, args...)...)
	cmd.Dir = taskRoot
	// As Lambda sets it: the task root, and AWS_DEFAULT_REGION, which boto3 reads.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LAMBDA_TASK_ROOT=" + taskRoot, "AWS_DEFAULT_REGION=" + region}
	for _, kv := range p.Env(region) {
		if !strings.HasSuffix(kv, "=") { // boto3 takes AWS_PROFILE= for a profile named ""
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if exit, ok := err.(*exec.ExitError); ok {
			stderr = exit.Stderr
		}
		t.Fatalf("python with the artifact's handler: %v\n%s", err, stderr)
	}
	return out
}

func hexDigest(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}
