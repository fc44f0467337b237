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
