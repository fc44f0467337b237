package cli

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/internal/testing/testbed"
	"github.com/org/secret-baker/internal/testing/ziptest"
)

// TestVerifyArtifact bakes, ships the baked file in a deployment artifact
// (a zip archive, a CDK asset directory, a zip under another name), and
// verifies the artifact with the bake's digest, as a CLI and as an Action:
// the file output is the artifact, the digest the baked file's, and nothing
// is written to TMPDIR.
func TestVerifyArtifact(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	tests := []struct {
		name      string
		artifact  string // the file input
		bakedName string // the baked-name input, "" for none
		// files returns the artifact's files (name in the workspace → content), the baked file data among them.
		files func(t *testing.T, data []byte) map[string]string
	}{
		{"Serverless zip", ".serverless/app.zip", "", func(t *testing.T, data []byte) map[string]string {
			return map[string]string{".serverless/app.zip": string(ziptest.Build(t, ziptest.Deflated("handler.py", []byte("def handler(e, c): pass\n")), ziptest.Deflated(baked.DefaultName, data)))}
		}},
		{"CDK asset directory", "cdk.out/asset.0123abcd", "", func(t *testing.T, data []byte) map[string]string {
			return map[string]string{"cdk.out/asset.0123abcd/index.mjs": "export const handler = () => {};\n", "cdk.out/asset.0123abcd/" + baked.DefaultName: string(data)}
		}},
		{"zip with baked-name", "build/api.zip", "app-secrets.json", func(t *testing.T, data []byte) map[string]string {
			return map[string]string{"build/api.zip": string(ziptest.Build(t, ziptest.Stored("app-secrets.json", data), ziptest.Stored("lib/"+baked.DefaultName, []byte("{}"))))}
		}},
	}
	for _, tc := range tests {
		for _, action := range []bool{false, true} {
			t.Run(tc.name+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				writeFiles(t, f.workspace, map[string]string{specPath: verifiedSpec(t, f, 2)})
				f.mustRun(t, nil)
				data := f.readOutput(t, baked.DefaultName)
				digest := baked.Digest(data)
				// Only the artifact holds the baked file.
				if err := os.Remove(filepath.Join(f.workspace, baked.DefaultName)); err != nil {
					t.Fatal(err)
				}
				writeFiles(t, f.workspace, tc.files(t, data))
				tmp := t.TempDir()

				with := map[string]string{"command": "verify", "file": tc.artifact, "expected-digest": digest}
				args := []string{"verify", "--file", tc.artifact, "--expected-digest", digest}
				if tc.bakedName != "" {
					with["baked-name"] = tc.bakedName
					args = append(args, "--baked-name", tc.bakedName)
				}
				env := []string{"TMPDIR=" + tmp}
				var r *actionRunner
				if action {
					r = newRunner(t, f, with)
					env = append(r.env, env...)
					args = nil
				}
				got := f.run(t, env, args...)

				if got.code != 0 {
					t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
				}
				where := tc.artifact + "!" + cmp.Or(tc.bakedName, baked.DefaultName)
				if want := "2 secret(s) in " + where + " (" + digest + ")\n"; !strings.Contains(got.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, got.stdout)
				}
				if action {
					outputs := r.read(t, "output")
					for _, want := range []string{"\n" + tc.artifact + "\n", "\n" + digest + "\n"} {
						if !strings.Contains(outputs, want) {
							t.Errorf("outputs lack %q:\n%s", want, outputs)
						}
					}
					if want := "2 secret(s) in " + escape.Markdown(where) + "."; !strings.Contains(r.read(t, "summary"), want) {
						t.Errorf("summary lacks %q:\n%s", want, r.read(t, "summary"))
					}
				}
				checkEmpty(t, tmp)
			})
		}
	}
}

// TestVerifyArtifactRefused checks each refusal of an artifact, as a CLI and
// as an Action, offline: the message names the file input and quotes no
// content, the exit code is 1 (2 for an invalid baked-name), and the run
// wrote nothing, neither in TMPDIR nor in the workspace.
func TestVerifyArtifactRefused(t *testing.T) {
	t.Parallel()
	data, err := baked.File{"A": {ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/app/a", Ciphertext: "AQID"}}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	const zipName = "app.zip"
	handler := ziptest.Stored("handler.py", []byte("def handler(e, c): pass\n"))
	good := ziptest.Stored(baked.DefaultName, data)
	zipped := func(entries ...ziptest.Entry) map[string]string {
		return map[string]string{zipName: string(ziptest.Build(t, entries...))}
	}
	tests := []struct {
		name  string
		files map[string]string
		// with are the Action inputs; the CLI runs verify with the same flags.
		with     map[string]string
		code     int
		want     string
		unwanted string // besides the baked file's content
	}{
		{name: "no baked file", files: zipped(handler), code: 1,
			want: "input file: app.zip holds no secret-baker-secrets.json at its root, where the readers look for it"},
		{name: "in a subfolder", files: zipped(handler, ziptest.Stored("lib/"+baked.DefaultName, data)), code: 1,
			want: "input file: app.zip holds no secret-baker-secrets.json at its root, where the readers look for it, only lib/secret-baker-secrets.json in a subfolder"},
		{name: "directory with it in a subfolder", files: map[string]string{"cdk.out/asset.1/index.mjs": "x", "cdk.out/asset.1/src/" + baked.DefaultName: string(data)},
			with: map[string]string{"file": "cdk.out/asset.1"}, code: 1,
			want: "input file: cdk.out/asset.1 holds no secret-baker-secrets.json at its root, where the readers look for it, only src/secret-baker-secrets.json in a subfolder"},
		{name: "another digest", files: zipped(handler, good), with: map[string]string{"expected-digest": "sha256:" + strings.Repeat("0", 64)}, code: 1,
			want: "app.zip!secret-baker-secrets.json has digest " + baked.Digest(data) + ", not the expected-digest sha256:" + strings.Repeat("0", 64)},
		{name: "another baked-name", files: zipped(handler, good), with: map[string]string{"baked-name": "app-secrets.json"}, code: 1,
			want: "input file: app.zip holds no app-secrets.json at its root"},
		{name: "baked-name with a slash", files: zipped(good), with: map[string]string{"baked-name": "lib/" + baked.DefaultName}, code: 2,
			want: "input baked-name must be a plain file name, without a slash"},
		{name: "zip slip", files: zipped(handler, good, ziptest.Stored("../evil.sh", []byte("x"))), code: 1,
			want: "input file: app.zip is refused: the name of its entry #3 of 3 could lead an extraction out of its directory", unwanted: "evil"},
		{name: "absolute entry", files: zipped(ziptest.Stored("/etc/cron.d/evil", []byte("x")), good), code: 1,
			want: "the name of its entry #1 of 2 could lead", unwanted: "evil"},
		{name: "backslash entry", files: zipped(good, ziptest.Stored("..\\evil.sh", []byte("x"))), code: 1,
			want: "the name of its entry #2 of 2 could lead", unwanted: "evil"},
		{name: "duplicate", files: zipped(good, handler, ziptest.Stored(baked.DefaultName, []byte("{}\n"))), code: 1,
			want: "input file: app.zip holds 2 entries named secret-baker-secrets.json at its root (#1, #3)"},
		{name: "encrypted", files: zipped(ziptest.Entry{Name: baked.DefaultName, Data: data, Flags: 0x1}), code: 1,
			want: "input file: app.zip is refused: its entry #1, secret-baker-secrets.json, is encrypted"},
		{name: "unsupported method", files: zipped(ziptest.Entry{Name: baked.DefaultName, Data: data, Method: 14}), code: 1,
			want: "is compressed with method 14"},
		{name: "bomb", files: zipped(ziptest.Deflated(baked.DefaultName, make([]byte, 8<<20))), code: 1,
			want: "declares 8388608 bytes from"},
		{name: "zip64 size over the bound", files: zipped(ziptest.Entry{Name: baked.DefaultName, Data: data, Size: ziptest.Ptr[uint64](1 << 36)}), code: 1,
			want: "declares 68719476736 bytes, over the 16777216 (16 MiB) a baked file may have"},
		{name: "size declared smaller", files: zipped(ziptest.Entry{Name: baked.DefaultName, Data: data, Method: 8, Size: ziptest.Ptr(uint64(len(data) - 1))}), code: 1,
			want: "does not match its header"},
	}
	for _, tc := range tests {
		for _, action := range []bool{false, true} {
			t.Run(tc.name+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				f := newOfflineFixture(t)
				writeFiles(t, f.workspace, tc.files)
				writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: /app/a\n"})
				with := map[string]string{"command": "verify", "file": zipName}
				maps.Copy(with, tc.with)
				before := tree(t, f.workspace)
				tmp := t.TempDir()

				got := f.runOffline(t, action, tmp, with)

				if got.code != tc.code {
					t.Errorf("exit %d, want %d", got.code, tc.code)
				}
				printed := got.stdout + got.stderr
				if !strings.Contains(printed, tc.want) {
					t.Errorf("output lacks %q:\n%s", tc.want, printed)
				}
				if action && !strings.Contains(got.stdout, "::error title=secret-baker failed::") {
					t.Errorf("no error annotation:\n%s", got.stdout)
				}
				for _, content := range []string{"AQID", "arn:aws:ssm", "def handler", tc.unwanted} {
					if content != "" && strings.Contains(printed, content) {
						t.Errorf("output quotes %q:\n%s", content, printed)
					}
				}
				checkEmpty(t, tmp)
				if after := tree(t, f.workspace); !maps.Equal(before, after) {
					t.Errorf("the workspace changed:\nbefore %v\nafter  %v", before, after)
				}
				if _, err := os.Lstat(filepath.Join(f.workspace, "..", "evil.sh")); err == nil {
					t.Error("evil.sh was extracted beside the workspace")
				}
			})
		}
	}
}

// runOffline runs the program of an offline fixture as a separate process,
// with tmp as its TMPDIR: a CLI given verify and the inputs with (but
// command) as flags, or an Action given them as inputs.
func (f *fixture) runOffline(t *testing.T, action bool, tmp string, with map[string]string) result {
	t.Helper()
	env := []string{"AWS_REGION=" + region, "AWS_ENDPOINT_URL=" + f.noCalls,
		"ACTIONS_ID_TOKEN_REQUEST_URL=" + f.noCalls, "ACTIONS_ID_TOKEN_REQUEST_TOKEN=t", "TMPDIR=" + tmp}
	if action {
		return runProgram(t, f.workspace, append(newRunner(t, f, with).env, env...))
	}
	args := []string{with["command"]}
	for name, value := range with {
		if name != "command" {
			args = append(args, "--"+name+"="+value)
		}
	}
	return runProgram(t, f.workspace, env, args...)
}

// tree describes every file under dir: its type and permissions and, for a
// regular file, the SHA-256 of its content; for a link, its target.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		desc := info.Mode().String()
		switch {
		case info.Mode().IsRegular():
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			desc += " " + hex.EncodeToString(sum[:])
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			desc += " -> " + target
		}
		files[path] = desc
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// checkEmpty fails the test unless dir is empty.
func checkEmpty(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("%s holds %d entries, want none: the run wrote there", dir, len(entries))
	}
}
