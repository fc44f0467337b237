package examples_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/bakedtest"
	"github.com/org/secret-baker/internal/testing/leakcheck"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// notUTF8 is a plaintext that is not UTF-8 text, which readers must refuse
// without quoting.
const notUTF8 = "caf\xe9-latin-1-secret-\xff\xfe"

// TestReadersLeakNothing runs the Python and Node.js reader packages over a
// baked file whose entries decrypt, fail in KMS (another key recorded, another
// ARN) or decrypt to bytes that are not UTF-8, with every log their SDK
// writes enabled and every error printed in every form, and searches what
// they print for the plaintexts.
func TestReadersLeakNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		command func(t *testing.T) []string
		// logged is what stderr holds when the SDK logged its Decrypt calls.
		logged string
	}{
		{"python", func(t *testing.T) []string {
			return []string{testbed.Program(t, "python3"), testbed.Abs(t, "testdata/leak_driver.py")}
		}, "Making request for OperationModel(name=Decrypt)"},
		{"node", func(t *testing.T) []string {
			nodeBin := testbed.Program(t, "node")
			testbed.NodeModules(t, testbed.Abs(t, nodeReader))
			return []string{nodeBin, testbed.Abs(t, "testdata/leak_driver.mjs"), testbed.Abs(t, nodeReader)}
		}, "commandName: 'DecryptCommand'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			command := tt.command(t)
			emu := testbed.Shared(t)
			fx := bakedtest.Bake(t, emu, region, bakedtest.Values)
			dir, failing := withFailingEntries(t, emu, fx)

			cmd := exec.Command(command[0], command[1:]...)
			cmd.Env = append(handlerEnv(emu.Proxy(t)), "LAMBDA_TASK_ROOT="+dir, "PYTHONPATH="+testbed.Abs(t, pythonReader))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(command, " "), err, stderr.Bytes())
			}

			var want []string
			for _, name := range slices.Sorted(maps.Keys(fx.Values)) {
				want = append(want, "ok "+name)
			}
			for _, name := range failing {
				want = append(want, "error "+name)
			}
			got := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("lookups printed %q, want %q", got, want)
			}
			if !strings.Contains(stderr.String(), tt.logged) {
				t.Errorf("stderr lacks %q: the SDK did not log its calls", tt.logged)
			}
			values := append(slices.Collect(maps.Values(fx.Values)), notUTF8)
			leakcheck.New(values...).AssertNone(t, map[string]string{"stdout": stdout.String(), "stderr": stderr.String()})
		})
	}
}

// withFailingEntries writes the entries of fx with three that fail to a new
// directory and returns it and their names: DB_PASSWORD's entry with another
// key recorded and with another ARN, and a ciphertext of notUTF8.
func withFailingEntries(t *testing.T, emu *testbed.Emulator, fx *bakedtest.Fixture) (string, []string) {
	t.Helper()
	ctx := context.Background()
	_, otherKey, err := emu.Seeder(region).CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	file := maps.Clone(fx.File)
	wrongKey := fx.File["DB_PASSWORD"]
	wrongKey.KeyARN = otherKey
	file["WRONG_KEY"] = wrongKey
	moved := fx.File["DB_PASSWORD"]
	moved.ARN += "-moved"
	file["MOVED"] = moved

	latin1 := fx.File["SIGNING_KEY"]
	latin1.ARN += "-latin1"
	out, err := kms.NewFromConfig(emu.AWSConfig(region)).Encrypt(ctx, &kms.EncryptInput{
		KeyId:             &latin1.KeyARN,
		Plaintext:         []byte(notUTF8),
		EncryptionContext: latin1.EncryptionContext(),
	})
	if err != nil {
		t.Fatal(err)
	}
	latin1.Ciphertext = base64.StdEncoding.EncodeToString(out.CiphertextBlob)
	file["NOT_UTF8"] = latin1

	data, err := baked.File(file).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, baked.DefaultName), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, []string{"MOVED", "NOT_UTF8", "WRONG_KEY"}
}
