package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
)

// TestBadInputs is the catalogue of bad input: each row must fail with its
// exit code and a message naming the problem and where it is, without a
// panic or a stack trace, and without touching the output file. Rows that
// fail before any AWS call run in-process, without the emulator; the rows
// marked aws run the program against it.
func TestBadInputs(t *testing.T) {
	t.Parallel()
	const specPath = ".github/secret-baker.yml"
	tests := []struct {
		name  string
		setup func(t *testing.T, f *fixture) setup
		want  []string
		code  int  // the exit code
		aws   bool // needs the emulator
	}{
		// The spec.
		{"malformed YAML", specOnly("secrets:\n  A: [unclosed\n"), []string{specPath + ":3:1:", "malformed YAML"}, 1, false},
		{"secrets not a collection", specOnly("secrets: hello\n"), []string{specPath + ":1:10:", "secrets"}, 1, false},
		{"path is a number", specOnly("secrets:\n  A: {path: 12}\n"), []string{specPath + ":2:13:", "quote it"}, 1, false},
		{"unknown top-level key", specOnly("secret:\n  A: /a\n"), []string{specPath + ":1:1:", `"secret"`}, 1, false},
		{"unknown secret key", specOnly("secrets:\n  A: {path: /a, regexp: x}\n"), []string{specPath + ":2:17:", `unknown key "regexp"`}, 1, false},
		{"duplicate names", specOnly("secrets:\n  - A\n  - {name: A, path: /b}\n"), []string{specPath + ":3:", `duplicate secret "A"`, "line 2"}, 1, false},
		{"invalid name", specOnly("secrets:\n  \"bad name\": /a\n"), []string{specPath + ":2:3:", "invalid secret name (character 4 is not allowed)"}, 1, false},
		{"empty secrets list", specOnly("secrets: []\n"), []string{specPath + ":1:10:", "secrets is empty"}, 1, false},
		{"no secrets section", specOnly("output: x.json\n"), []string{specPath, "secrets"}, 1, false},
		{"null parameter", specOnly("secrets:\n  A:\n"), []string{specPath + ":2:"}, 1, false},
		{"two YAML documents", specOnly("secrets:\n  A: /a\n---\nsecrets:\n  B: /b\n"), []string{specPath + ":3:", "document"}, 1, false},
		{"schema file missing", specOnly("secrets:\n  A: {path: /a, schema: nope.json}\n"), []string{specPath + ":2:", "nope.json"}, 1, false},
		{"schema file outside the repository", specOnly("secrets:\n  A: {path: /a, schema: /etc/hostname}\n"), []string{specPath + ":2:", "outside"}, 1, false},
		{"invalid schema", specOnly("secrets:\n  A: {path: /a, schema: {type: 12}}\n"), []string{specPath + ":2:25:", "invalid JSON Schema"}, 1, false},
		{"invalid regex", specOnly("secrets:\n  A: {path: /a, regex: '[a-'}\n"), []string{specPath + ":2:", "invalid regex"}, 1, false},
		{"PCRE look-ahead", specOnly("secrets:\n  A: {path: /a, regex: '^(?=.*[0-9]).{12,}$'}\n"), []string{specPath + ":2:", "look-ahead"}, 1, false},
		{"PCRE backreference", specOnly("secrets:\n  A: {path: /a, regex: '(a)\\1'}\n"), []string{specPath + ":2:", "backreference"}, 1, false},
		{"spec file missing", func(t *testing.T, f *fixture) setup { return setup{args: []string{"--config", "nope.yml"}} }, []string{"nope.yml"}, 1, false},
		// The inputs.
		{"invalid region", withArgs("--aws-region", "us_east_1"), []string{`invalid AWS region "us_east_1"`}, 2, false},
		{"no region", func(t *testing.T, f *fixture) setup {
			return setup{spec: "secrets:\n  A: /a\n", env: []string{"AWS_REGION=", "AWS_DEFAULT_REGION="}}
		}, []string{"no AWS region"}, 2, false},
		{"invalid role ARN", withInputs(map[string]string{"role-to-assume": "deploy-role"}), []string{`invalid role-to-assume "deploy-role"`}, 2, false},
		{"invalid session name", withInputs(map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/x", "role-session-name": "a"}), []string{`invalid role-session-name "a"`}, 2, false},
		{"duration too short", withInputs(map[string]string{"role-duration-seconds": "899"}), []string{"role-duration-seconds", "900 to 43200"}, 2, false},
		{"boolean that is not true/false", withInputs(map[string]string{"verify": "yes"}), []string{`input verify must be true or false, got "yes"`}, 2, false},
		{"concurrency zero", withArgs("--kms-concurrency", "0"), []string{"kms-concurrency", "from 1 to 256"}, 2, false},
		{"unknown flag", withArgs("--bogus"), []string{"bogus"}, 2, false},
		{"unknown command", withArgs("bakee"), []string{`unknown command "bakee"`}, 2, false},
		{"config and secrets both", withInputs(map[string]string{"config": "a.yml", "secrets": "A: /a"}), []string{"inputs config and secrets are both given"}, 2, false},
		{"verify without file", withArgs("verify"), []string{"needs --file"}, 2, false},
		// The AWS side.
		{"missing parameter", func(t *testing.T, f *fixture) setup {
			return setup{spec: "secrets:\n  A: " + f.prefix + "/missing\n"}
		}, []string{specPath + ":2:3:", `secret "A"`, "not found"}, 1, true},
		{"String parameter", func(t *testing.T, f *fixture) setup {
			if err := f.seeder.PutString(context.Background(), f.prefix+"/plain", "plain"); err != nil {
				t.Fatal(err)
			}
			return setup{spec: "secrets:\n  A: " + f.prefix + "/plain\n"}
		}, []string{specPath + ":2:3:", `secret "A"`, "not a SecureString"}, 1, true},
		{"wrong key", func(t *testing.T, f *fixture) setup {
			_, _, err := f.seeder.CreateKey(context.Background(), "alias"+f.prefix+"-required")
			if err != nil {
				t.Fatal(err)
			}
			return setup{spec: "kms-key-id: alias" + f.prefix + "-required\nsecrets:\n  A: " + f.put(t, "/a", "v") + "\n"}
		}, []string{specPath + ":3:3:", "encrypted with key"}, 1, true},
		{"tampered file", func(t *testing.T, f *fixture) setup {
			return setup{
				spec:  "secrets:\n  A: " + f.put(t, "/a", "v") + "\n",
				files: map[string]string{"artifact.json": `{"A": {"arn": "arn:aws:ssm:us-east-1:123456789012:parameter` + f.prefix + `/a", "ciphertext": "AQICAHhiYWQ=", "parameter": "` + f.prefix + `/a", "version": 1}}` + "\n"},
				args:  []string{"verify", "--file", "artifact.json"},
			}
		}, []string{specPath + ":2:3:", `secret "A"`, "the ciphertext is not the one SSM holds"}, 1, true},
		{"malformed baked file", func(t *testing.T, f *fixture) setup {
			return setup{spec: "secrets:\n  A: /a\n", files: map[string]string{"artifact.json": `{"A": `}, args: []string{"verify", "--file", "artifact.json"}}
		}, []string{"artifact.json", "malformed baked file"}, 1, false},
		// The paths.
		{"output outside the workspace", withArgs("--output", "/tmp/elsewhere.json"), []string{"/tmp/elsewhere.json", "outside the workspace"}, 2, false},
		{"output through a symlink out", func(t *testing.T, f *fixture) setup {
			if err := os.Symlink(t.TempDir(), filepath.Join(f.workspace, "out")); err != nil {
				t.Fatal(err)
			}
			return setup{spec: "secrets:\n  A: /a\n", args: []string{"--output", "out/s.json"}}
		}, []string{"out/s.json", "outside the workspace"}, 2, false},
		{"output onto a directory", func(t *testing.T, f *fixture) setup {
			return setup{spec: "secrets:\n  A: /a\n", files: map[string]string{"dir/keep": ""}, args: []string{"--output", "dir"}}
		}, []string{`"dir" is a directory`}, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newOfflineFixture(t)
			if tc.aws {
				f = newFixture(t)
			}
			s := tc.setup(t, f)
			files := map[string]string{baked.DefaultName: "previous\n"}
			if s.spec != "" {
				files[specPath] = s.spec
			}
			for k, v := range s.files {
				files[k] = v
			}
			writeFiles(t, f.workspace, files)

			var got result
			if s.with != nil {
				got = f.run(t, append(newRunner(t, f, s.with).env, s.env...))
			} else {
				got = f.run(t, s.env, s.args...)
			}

			all := got.stdout + got.stderr
			if got.code != tc.code {
				t.Fatalf("exit %d, want %d\n%s", got.code, tc.code, all)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
			for _, bad := range []string{"panic:", "goroutine ", ".go:"} {
				if strings.Contains(all, bad) {
					t.Errorf("output has %q, a crash or stack trace:\n%s", bad, all)
				}
			}
			if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
				t.Errorf("output file changed to %q", data)
			}
		})
	}
}

func specOnly(spec string) func(*testing.T, *fixture) setup {
	return func(*testing.T, *fixture) setup { return setup{spec: spec} }
}

// withArgs runs a valid-looking spec with bad command-line arguments.
func withArgs(args ...string) func(*testing.T, *fixture) setup {
	return func(*testing.T, *fixture) setup { return setup{spec: "secrets:\n  A: /a\n", args: args} }
}

// withInputs runs a valid-looking spec in Action mode with bad inputs.
func withInputs(with map[string]string) func(*testing.T, *fixture) setup {
	return func(*testing.T, *fixture) setup { return setup{spec: "secrets:\n  A: /a\n", with: with} }
}
