package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

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

func TestBakeEndToEnd(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	for _, n := range []int{1, 10, 11, 25} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			values := map[string]string{}
			var spec strings.Builder
			spec.WriteString("secrets:\n")
			for i := range n {
				name := fmt.Sprintf("SECRET_%02d", i)
				values[name] = fmt.Sprintf("value-%d-%s", i, strings.Repeat("é", i))
				fmt.Fprintf(&spec, "  %s: %s\n", name, f.put(t, "/"+name, values[name]))
			}
			writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": spec.String()})

			first := f.run(t, nil, "--verify=false")
			if first.code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", first.code, first.stdout, first.stderr)
			}
			data := f.readOutput(t, baked.DefaultName)
			if got, want := f.proxy.Calls("ssm:GetParameters"), (n+9)/10; got != want {
				t.Errorf("GetParameters calls = %d, want %d", got, want)
			}
			if got := f.proxy.Calls("ssm:GetParameter"); got != 0 {
				t.Errorf("GetParameter calls = %d, want 0", got)
			}

			second := f.run(t, nil, "--verify=false")
			if second.code != 0 {
				t.Fatalf("second run: exit %d: %s", second.code, second.stderr)
			}
			if again := f.readOutput(t, baked.DefaultName); string(again) != string(data) {
				t.Error("baking twice gave different files")
			}

			file, err := baked.Parse(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(file) != n {
				t.Fatalf("baked %d entries, want %d", len(file), n)
			}
			client := kms.NewFromConfig(f.emu.AWSConfig(region))
			for name, want := range values {
				e := file[name]
				blob, err := base64.StdEncoding.DecodeString(e.Ciphertext)
				if err != nil {
					t.Fatalf("%s: ciphertext is not base64: %v", name, err)
				}
				out, err := client.Decrypt(context.Background(), &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: e.EncryptionContext()})
				if err != nil {
					t.Fatalf("%s: decrypt: %v", name, err)
				}
				if string(out.Plaintext) != want {
					t.Errorf("%s decrypts to a different value", name)
				}
				if e.Version != 1 || !strings.HasSuffix(e.ARN, ":parameter"+e.Parameter) {
					t.Errorf("%s: entry %+v", name, e)
				}
			}
			info, err := os.Stat(filepath.Join(f.workspace, baked.DefaultName))
			if err != nil {
				t.Fatal(err)
			}
			if info.Mode().Perm() != 0o644 {
				t.Errorf("mode = %v, want 0644", info.Mode().Perm())
			}
		})
	}
}
