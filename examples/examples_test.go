package examples_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/bakedtest"
	"github.com/org/secret-baker/internal/testing/testbed"
)

const region = "eu-west-1"

// report is what the drivers in testdata print: digests, never plaintexts.
type report struct {
	// Rounds holds, per round of lookups, the hex SHA-256 of each plaintext.
	Rounds []map[string]string `json:"rounds"`
	// Unknown is the type of the error for a name not in the file.
	Unknown string `json:"unknown"`
	// Signature is the handler's answer to {"message": "hello"}.
	Signature string `json:"signature"`
}

func TestMain(m *testing.M) {
	testbed.Main(m)
}

func TestHandlers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// command returns the driver command line, before the secret names.
		command     func(t *testing.T) []string
		wantUnknown string
		// cached is whether the handler keeps plaintexts, so that its second
		// round makes no KMS call.
		cached bool
		// signs is whether the module has a handler to call.
		signs bool
		// sealed is whether the module reads Secrets Manager entries too;
		// serverless-secret-baker's code passes PARAMETER_ARN only.
		sealed bool
	}{
		{
			name:        "python",
			command:     python("python/handler.py", "secret_baker_reader.get"),
			wantUnknown: "UnknownSecretError",
			cached:      true,
			signs:       true,
			sealed:      true,
		},
		{
			// The reader as its wheel installs it, in a virtual environment
			// with boto3 and nothing else (scripts/python-reader.sh).
			name:        "python, installed wheel",
			command:     installedWheel("python/handler.py", "secret_baker_reader.get"),
			wantUnknown: "UnknownSecretError",
			cached:      true,
			signs:       true,
			sealed:      true,
		},
		{
			name:        "node",
			command:     node("node/handler.mjs"),
			wantUnknown: "UnknownSecretError",
			cached:      true,
			signs:       true,
			sealed:      true,
		},
		{
			// Our file opens unchanged with serverless-secret-baker's documented code.
			name:        "serverless-secret-baker python",
			command:     python("testdata/serverless_secret_baker.py", "kms_decrypt"),
			wantUnknown: "KeyError",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			command := tt.command(t)
			emu := testbed.Shared(t)
			var sealed map[string]string
			if tt.sealed {
				sealed = map[string]string{"SEALED_TOKEN": "sm-tök-✓"}
			}
			fx := bakedtest.BakeMixed(t, emu, region, bakedtest.Values, sealed)
			p := emu.Proxy(t)

			cmd := exec.Command(command[0], append(command[1:], fx.Names()...)...)
			cmd.Env = append(handlerEnv(p), "LAMBDA_TASK_ROOT="+fx.Dir)
			if !strings.Contains(tt.name, "installed wheel") {
				cmd.Env = append(cmd.Env, "PYTHONPATH="+testbed.Abs(t, pythonReader))
			}
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(command, " "), err, stderr.Bytes())
			}
			var got report
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("driver report: %v", err)
			}

			if len(got.Rounds) != 2 {
				t.Fatalf("got %d rounds of lookups, want 2", len(got.Rounds))
			}
			for i, round := range got.Rounds {
				for name, value := range fx.Values {
					if want := digest(value); round[name] != want {
						t.Errorf("round %d: %s decrypted to a value with SHA-256 %s, want %s", i+1, name, round[name], want)
					}
				}
			}
			if got.Unknown != tt.wantUnknown {
				t.Errorf("lookup of an unknown name raised %q, want %q", got.Unknown, tt.wantUnknown)
			}
			if tt.signs {
				mac := hmac.New(sha256.New, []byte(fx.Values["SIGNING_KEY"]))
				mac.Write([]byte("hello"))
				if want := hex.EncodeToString(mac.Sum(nil)); got.Signature != want {
					t.Errorf("handler signature = %s, want %s", got.Signature, want)
				}
			}
			wantCalls := 2 * len(fx.Values)
			if tt.cached {
				wantCalls = len(fx.Values)
			}
			if got := p.Calls("kms:Decrypt"); got != wantCalls {
				t.Errorf("%d KMS Decrypt calls, want %d", got, wantCalls)
			}
		})
	}
}

// pythonReader is the directory of the Python reader package, which a deployed
// function has vendored beside its handler.
const pythonReader = "../readers/python"

// nodeReader is the directory of the Node.js reader package, which the Node.js
// example depends on as a file: dependency.
const nodeReader = "../readers/node"

// python returns the command that runs the Python driver on a handler module
// and the function that looks secrets up.
func python(handler, function string) func(t *testing.T) []string {
	return func(t *testing.T) []string {
		return []string{testbed.Program(t, "python3"), testbed.Abs(t, "testdata/driver.py"), testbed.Abs(t, handler), function}
	}
}

// installedWheel is python with the interpreter of the virtual environment
// that scripts/python-reader.sh installs the reader's wheel into, named by
// SECRET_BAKER_READER_PYTHON: required on CI, which runs that script.
func installedWheel(handler, function string) func(t *testing.T) []string {
	return func(t *testing.T) []string {
		interpreter := os.Getenv("SECRET_BAKER_READER_PYTHON")
		switch {
		case interpreter == "" && os.Getenv("CI") == "true":
			t.Fatal("SECRET_BAKER_READER_PYTHON is required on CI: scripts/python-reader.sh sets it")
		case interpreter == "":
			t.Skip("SECRET_BAKER_READER_PYTHON is not set: run scripts/python-reader.sh for the installed wheel")
		}
		return []string{interpreter, testbed.Abs(t, "testdata/driver.py"), testbed.Abs(t, handler), function}
	}
}

// node returns the command that runs the Node.js driver on a handler module,
// after installing the module's dependencies and the reader's if they are
// missing: the file: dependency is a symbolic link, so the reader finds its
// own @aws-sdk/client-kms.
func node(handler string) func(t *testing.T) []string {
	return func(t *testing.T) []string {
		nodeBin := testbed.Program(t, "node")
		testbed.NodeModules(t, testbed.Abs(t, nodeReader))
		testbed.NodeModules(t, filepath.Dir(testbed.Abs(t, handler)))
		return []string{nodeBin, testbed.Abs(t, "testdata/driver.mjs"), testbed.Abs(t, handler)}
	}
}

// handlerEnv is this process's environment with its AWS_ variables replaced
// by the proxy's, plus AWS_DEFAULT_REGION, which Lambda sets as well as
// AWS_REGION and is the one boto3 reads. Variables the proxy sets empty are
// left out instead: boto3 takes AWS_PROFILE= for a profile named "".
func handlerEnv(p *testbed.Proxy) []string {
	env := []string{"AWS_DEFAULT_REGION=" + region}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	for _, kv := range p.Env(region) {
		if !strings.HasSuffix(kv, "=") {
			env = append(env, kv)
		}
	}
	return env
}

func digest(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}
