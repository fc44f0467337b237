package cli

import (
	"context"
	"encoding/base64"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/internal/testing/leakcheck"
)

// The adversarial catalogue of issue 11, by class. Each test runs the real
// program, as a CLI and, where it differs, as an Action.

// forgedLine is what an attacker wants the runner to read as a line of its
// own: a workflow command.
func forgedLine(t *testing.T, got result) {
	t.Helper()
	for _, stream := range []struct{ name, text string }{{"stdout", got.stdout}, {"stderr", got.stderr}} {
		// The runner splits lines at "\n" and at a bare "\r".
		for _, line := range strings.FieldsFunc(stream.text, func(r rune) bool { return r == '\n' || r == '\r' }) {
			for _, cmd := range []string{"::warning", "::stop-commands", "::set-output", "::add-path", "::notice", "##[", "::debug"} {
				if strings.HasPrefix(strings.TrimSpace(line), cmd) {
					t.Errorf("%s holds a forged workflow command line: %q", stream.name, line)
				}
			}
			if i := escape.Unsafe(strings.ReplaceAll(line, "\t", " ")); i >= 0 { // the usage text indents with tabs
				t.Errorf("%s holds a raw control character at byte %d of %q", stream.name, i, line)
			}
		}
	}
}

// TestNoForgedLines puts workflow commands and terminal control sequences in
// every input that the program could print: none may reach stdout or stderr
// as a line of its own or raw, and each path input is refused at its source.
func TestNoForgedLines(t *testing.T) {
	t.Parallel()
	const inject = "\n::warning title=X::injected\n::stop-commands::x"
	tests := []struct {
		name     string
		spec     string
		args     []string          // CLI
		with     map[string]string // Action; nil: CLI only
		wantCode int
		want     string
		aws      bool // needs the emulator
	}{
		{"spec output with line feeds", "output: \"dist" + strings.ReplaceAll(inject, "\n", `\n`) + "\"\nsecrets:\n  A: /a\n", nil, map[string]string{}, 1, specPath + ":1:9:", false},
		{"spec output with a bare carriage return", "output: \"dist\\r::warning::cr\"\nsecrets:\n  A: /a\n", nil, map[string]string{}, 1, specPath + ":1:9:", false},
		{"spec output with an escape sequence", "output: \"\\e[2J\\e[31mred.json\"\nsecrets:\n  A: /a\n", nil, map[string]string{}, 1, specPath + ":1:9:", false},
		{"output input", "secrets:\n  A: /a\n", []string{"--output", "dist" + inject}, map[string]string{"output": "dist" + inject}, 2, "input output", false},
		{"file input", "secrets:\n  A: /a\n", []string{"verify", "--file", "dist" + inject}, map[string]string{"command": "verify", "file": "dist" + inject}, 2, "input file", false},
		{"config input", "", []string{"--config", "x" + inject + ".yml"}, map[string]string{"config": "x" + inject + ".yml"}, 2, "input config", false},
		{"config input with a bare carriage return", "", []string{"--config", "x\r::warning::cr.yml"}, map[string]string{"config": "x\r::warning::cr.yml"}, 2, "input config", false},
		{"kms-key-id input", "secrets:\n  A: /a\n", []string{"--kms-key-id", "alias/x" + inject}, map[string]string{"kms-key-id": "alias/x" + inject}, 2, "input kms-key-id", false},
		{"unknown flag", "secrets:\n  A: /a\n", []string{"--bo" + inject}, nil, 2, "flag provided but not defined", false},
		{"unknown command", "secrets:\n  A: /a\n", []string{"ba\x1b[2Jke" + inject}, map[string]string{"command": "ba\x1b[2Jke" + inject}, 2, "unknown command", false},
		{"region", "secrets:\n  A: /a\n", []string{"--aws-region", "us-east-1" + inject}, map[string]string{"aws-region": "us-east-1" + inject}, 2, "invalid AWS region", false},
		{"role-to-assume", "secrets:\n  A: /a\n", []string{"--role-to-assume", "arn:aws:iam::123456789012:role/x" + inject}, map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/x" + inject}, 2, "invalid role-to-assume", false},
		{"role-session-name", "secrets:\n  A: /a\n", []string{"--role-to-assume", "arn:aws:iam::123456789012:role/x", "--role-session-name", "s" + inject}, map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/x", "role-session-name": "s" + inject}, 2, "invalid role-session-name", false},
		{"secret name", "secrets:\n  \"A" + strings.ReplaceAll(inject, "\n", `\n`) + "\": /a\n", nil, map[string]string{}, 1, specPath + ":2:3:", false},
		{"parameter", "secrets:\n  A: \"/a" + strings.ReplaceAll(inject, "\n", `\n`) + "\"\n", nil, map[string]string{}, 1, specPath + ":2:6:", false},
		{"regex", "secrets:\n  A: {path: /a, regex: \"[" + strings.ReplaceAll(inject, "\n", `\n`) + "\"}\n", nil, map[string]string{}, 1, specPath + ":2:", false},
		{"schema file path", "secrets:\n  A: {path: /a, schema: \"s" + strings.ReplaceAll(inject, "\n", `\n`) + ".json\"}\n", nil, map[string]string{}, 1, specPath + ":2:", false},
	}
	for _, tc := range tests {
		for _, action := range []bool{false, true} {
			if action && tc.with == nil {
				continue
			}
			t.Run(tc.name+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				f := newOfflineFixture(t)
				if tc.aws {
					f = newFixture(t)
				}
				if tc.spec != "" {
					writeFiles(t, f.workspace, map[string]string{specPath: tc.spec})
				}
				got, _ := runIn(t, f, action, tc.with, tc.args...)
				forgedLine(t, got)
				if got.code != tc.wantCode {
					t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", got.code, tc.wantCode, got.stdout, got.stderr)
				}
				if !strings.Contains(got.stdout+got.stderr, tc.want) {
					t.Errorf("output does not name %q:\n%s%s", tc.want, got.stdout, got.stderr)
				}
			})
		}
	}
}

// TestPrintedPathsAreEscaped bakes and verifies with legal but hostile file
// names: the printed path and every output is escaped for its sink.
func TestPrintedPathsAreEscaped(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"100%0A::warning::x.json", "a,b:c.json", "`x`|![t](https:%2F%2Fattacker.example%2Ft.png).json"} {
		for _, action := range []bool{false, true} {
			t.Run(name+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
				got, r := runIn(t, f, action, map[string]string{"output": name}, "--output", name)
				forgedLine(t, got)
				if got.code != 0 {
					t.Fatalf("exit %d\n%s%s", got.code, got.stdout, got.stderr)
				}
				if action {
					if strings.Contains(got.stdout, "%0A") && !strings.Contains(got.stdout, "%250A") {
						t.Errorf("stdout holds an unescaped %%0A, which the runner decodes:\n%s", got.stdout)
					}
					summary := r.read(t, "summary")
					for _, markup := range []string{"![", "](", "<img"} {
						if strings.Contains(summary, markup) && !strings.Contains(summary, "`"+name) {
							t.Errorf("summary holds %q outside a code span:\n%s", markup, summary)
						}
					}
				}
			})
		}
	}
}

// TestSummaryMarkdown puts markdown and HTML in every user-controlled string
// the job summary shows: none may render as a link, an image or markup.
func TestSummaryMarkdown(t *testing.T) {
	t.Parallel()
	const evil = "![t](https://attacker.example/t.png) [x](https://attacker.example) <img src=x> _b_ # h"
	f := newFixture(t)
	good := f.put(t, "/good", "tok_1")
	// A parameter cannot carry markup: the spec refuses it, unquoted
	// (TestNoForgedLines). A regex can, and is quoted in its finding.
	writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n" +
		"  BAD_REGEX: {path: " + good + ", regex: '" + strings.ReplaceAll(evil, "'", "''") + "'}\n"})
	r := newRunner(t, f, nil)
	got := f.run(t, r.env)
	if got.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", got.code, got.stdout, got.stderr)
	}
	summary := r.read(t, "summary")
	problems := 0
	for _, line := range strings.Split(summary, "\n") {
		item, ok := strings.CutPrefix(line, "- ")
		if !ok {
			continue // table rows hold user text in code spans only
		}
		problems++
		for i := 0; i < len(item); i++ {
			if item[i] == '\\' {
				i++
				continue
			}
			if strings.IndexByte("![]()<>_*#`&:", item[i]) >= 0 {
				t.Errorf("problem line has an unescaped %q at byte %d: %s", item[i], i, item)
				break
			}
		}
	}
	if problems != 1 {
		t.Errorf("summary lists %d problems, want 1:\n%s", problems, summary)
	}
}

// TestOutputIsNotAnInput refuses, before any AWS call, an output that would
// replace the spec or a schema file, by any name.
func TestOutputIsNotAnInput(t *testing.T) {
	t.Parallel()
	const spec = "secrets:\n  A: {path: /a, schema: schemas/s.json}\n"
	tests := []struct {
		name string
		spec string
		args []string
		code int
		want string
	}{
		{"the spec, by the output input", spec, []string{"--output", specPath}, 2, "input output"},
		{"the spec, absolute", spec, []string{"--output", "WORKSPACE/" + specPath}, 2, "input output"},
		{"the spec, through a directory link", spec, []string{"--output", "gh/secret-baker.yml"}, 2, "input output"},
		{"a schema file", spec, []string{"--output", ".github/schemas/s.json"}, 2, "input output"},
		{"the spec, by the spec's output", "output: .github/secret-baker.yml\n" + spec, nil, 1, specPath + ":1:9:"},
		{"a schema file, by the spec's output", "output: ./.github/schemas/s.json\n" + spec, nil, 1, specPath + ":1:9:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			writeFiles(t, f.workspace, map[string]string{specPath: tc.spec, ".github/schemas/s.json": `{"type": "string"}`})
			if err := os.Symlink(".github", filepath.Join(f.workspace, "gh")); err != nil {
				t.Fatal(err)
			}
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.Replace(a, "WORKSPACE", f.workspace, 1)
			}
			got := f.run(t, nil, args...)
			if got.code != tc.code || !strings.Contains(got.stderr, tc.want) || !strings.Contains(got.stderr, "an input of this run") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d naming %q as an input of this run", got.code, got.stderr, tc.code, tc.want)
			}
			if calls := f.proxy.CallsTotal(); len(calls) != 0 {
				t.Errorf("AWS calls before refusing: %v", calls)
			}
			if data := f.readOutput(t, specPath); string(data) != tc.spec {
				t.Errorf("the spec changed to %q", data)
			}
			if data := f.readOutput(t, ".github/schemas/s.json"); string(data) != `{"type": "string"}` {
				t.Errorf("the schema changed to %q", data)
			}
		})
	}
}

// TestConfigConfined refuses a spec outside the workspace, by any way out,
// and never shows its content.
func TestConfigConfined(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	secret := leakValue(t, "outside")
	foreign := filepath.Join(outside, "shadow")
	if err := os.WriteFile(foreign, []byte("root:"+secret+":20228:0:99999:7:::\n{\""+secret+"\": 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, config := range []string{foreign, "UP", "link/shadow", "/etc/passwd"} {
		for _, action := range []bool{false, true} {
			t.Run(config+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				f := newOfflineFixture(t) // refused before any AWS call
				if err := os.Symlink(outside, filepath.Join(f.workspace, "link")); err != nil {
					t.Fatal(err)
				}
				config := config
				if config == "UP" { // ../../.../shadow
					rel, err := filepath.Rel(f.workspace, foreign)
					if err != nil {
						t.Fatal(err)
					}
					config = rel
				}
				got, r := runIn(t, f, action, map[string]string{"config": config}, "--config", config)
				if got.code != 2 || !strings.Contains(got.stdout+got.stderr, "outside the workspace") {
					t.Errorf("exit %d, output:\n%s%s\nwant exit 2, outside the workspace", got.code, got.stdout, got.stderr)
				}
				texts := map[string]string{"stdout": got.stdout, "stderr": got.stderr}
				if r != nil {
					texts["summary"] = r.read(t, "summary")
				}
				leakcheck.New(secret).AssertNone(t, texts)
			})
		}
	}
}

// TestFailedStepLeavesNoNewFile breaks each of the runner's sinks: the run
// fails before the baked file is replaced.
func TestFailedStepLeavesNoNewFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  func(r *actionRunner) []string
	}{
		{"GITHUB_OUTPUT unset", func(r *actionRunner) []string { return []string{"GITHUB_OUTPUT="} }},
		{"GITHUB_OUTPUT a directory", func(r *actionRunner) []string { return []string{"GITHUB_OUTPUT=" + r.dir} }},
		{"GITHUB_OUTPUT in a missing directory", func(r *actionRunner) []string {
			return []string{"GITHUB_OUTPUT=" + filepath.Join(r.dir, "nope", "output")}
		}},
		{"GITHUB_STEP_SUMMARY a directory", func(r *actionRunner) []string { return []string{"GITHUB_STEP_SUMMARY=" + r.dir} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + f.put(t, "/a", "v") + "\n", baked.DefaultName: "previous\n"})
			r := newRunner(t, f, nil)
			got := f.run(t, append(r.env, tc.env(r)...))
			if got.code != 1 {
				t.Errorf("exit %d, want 1\n%s%s", got.code, got.stdout, got.stderr)
			}
			if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
				t.Errorf("the baked file was replaced by a failed step")
			}
		})
	}
}

// TestSpecDeclaredErrorsLocated checks that problems with the spec's output
// and kms-key-id are reported at their spec line; a bad output before any
// AWS call.
func TestSpecDeclaredErrorsLocated(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		spec    func(t *testing.T, f *fixture) string
		want    string
		noCalls bool
	}{
		{"output outside", func(t *testing.T, f *fixture) string { return "output: ../x.json\nsecrets:\n  A: /a\n" }, specPath + ":1:9: ", true},
		{"output absolute outside", func(t *testing.T, f *fixture) string { return "output: /tmp/x.json\nsecrets:\n  A: /a\n" }, specPath + ":1:9: ", true},
		{"output a directory", func(t *testing.T, f *fixture) string { return "output: .github\nsecrets:\n  A: /a\n" }, specPath + ":1:9: ", true},
		{"output through a link out", func(t *testing.T, f *fixture) string { return "output: out/x.json\nsecrets:\n  A: /a\n" }, specPath + ":1:9: ", true},
		{"key that does not exist", func(t *testing.T, f *fixture) string {
			return "kms-key-id: alias/does-not-exist\nsecrets:\n  A: " + f.put(t, "/a", "v") + "\n"
		}, specPath + ":1:13: ", false},
		{"AWS managed key", func(t *testing.T, f *fixture) string {
			return "kms-key-id: alias/aws/ssm\nsecrets:\n  A: " + f.put(t, "/a", "v") + "\n"
		}, specPath + ":1:13: ", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if err := os.Symlink(t.TempDir(), filepath.Join(f.workspace, "out")); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, f.workspace, map[string]string{specPath: tc.spec(t, f)})
			got := f.run(t, nil)
			if got.code == 0 || !strings.Contains(got.stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant a failure at %q", got.code, got.stderr, tc.want)
			}
			if calls := f.proxy.CallsTotal(); tc.noCalls && len(calls) != 0 {
				t.Errorf("AWS calls before refusing the output: %v", calls)
			}
		})
	}
}

// TestInvalidInputsExitTwo checks that bad role inputs and a missing region
// are invalid inputs: exit 2, before any AWS call.
func TestInvalidInputsExitTwo(t *testing.T) {
	t.Parallel()
	const role = "arn:aws:iam::123456789012:role/deploy"
	tests := []struct {
		name string
		with map[string]string
		env  []string
		want string
	}{
		{"user ARN", map[string]string{"role-to-assume": "arn:aws:iam::123456789012:user/deploy"}, nil, "role-to-assume"},
		{"11-digit account", map[string]string{"role-to-assume": "arn:aws:iam::12345678901:role/deploy"}, nil, "role-to-assume"},
		{"wildcard", map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/*"}, nil, "role-to-assume"},
		{"newline", map[string]string{"role-to-assume": role + "\nx"}, nil, "role-to-assume"},
		{"not an ARN", map[string]string{"role-to-assume": "deploy"}, nil, "role-to-assume"},
		{"other service", map[string]string{"role-to-assume": "arn:aws:sts::123456789012:role/deploy"}, nil, "role-to-assume"},
		{"session name too short", map[string]string{"role-to-assume": role, "role-session-name": "a"}, nil, "role-session-name"},
		{"session name too long", map[string]string{"role-to-assume": role, "role-session-name": strings.Repeat("s", 65)}, nil, "role-session-name"},
		{"session name with a space", map[string]string{"role-to-assume": role, "role-session-name": "my session"}, nil, "role-session-name"},
		{"session name with a slash", map[string]string{"role-to-assume": role, "role-session-name": "a/b"}, nil, "role-session-name"},
		{"no region", map[string]string{}, []string{"AWS_REGION=", "AWS_DEFAULT_REGION="}, "region"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// In-process: these fail before any AWS call.
			f := newOfflineFixture(t)
			writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: /a\n"})
			got := f.run(t, append(newRunner(t, f, tc.with).env, tc.env...))
			if got.code != 2 || !strings.Contains(got.stdout+got.stderr, tc.want) {
				t.Errorf("exit %d, want 2 naming %s\n%s%s", got.code, tc.want, got.stdout, got.stderr)
			}
			forgedLine(t, got)
		})
	}
}

// TestLongFileName bakes to file names up to the file system's limit.
func TestLongFileName(t *testing.T) {
	t.Parallel()
	for _, n := range []int{250, 255} {
		f := newFixture(t)
		writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
		name := "dist/" + strings.Repeat("n", n)
		f.mustRun(t, nil, "--output", name)
		if _, err := baked.Parse(f.readOutput(t, name)); err != nil {
			t.Errorf("%d bytes: %v", n, err)
		}
	}
}

// TestSwapDuringAWSCalls replaces the output's directory while the run talks
// to SSM and to KMS: nothing may be written outside the workspace.
func TestSwapDuringAWSCalls(t *testing.T) {
	t.Parallel()
	for _, op := range []string{"ssm:GetParameters", "kms:Decrypt"} {
		for _, moveOut := range []bool{false, true} {
			t.Run(op+map[bool]string{false: "/symlink", true: "/moved out"}[moveOut], func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				outside := t.TempDir()
				writeFiles(t, f.workspace, map[string]string{specPath: "output: dist/baked.json\nsecrets:\n  A: " + f.put(t, "/a", "v") + "\n", "dist/baked.json": "previous\n"})
				var once sync.Once
				f.proxy.SetFault(func(got string, _ http.ResponseWriter, _ *http.Request) bool {
					if got == op {
						once.Do(func() {
							dist := filepath.Join(f.workspace, "dist")
							target := filepath.Join(f.workspace, "dist.old")
							if moveOut {
								target = filepath.Join(outside, "dist")
							}
							if err := os.Rename(dist, target); err != nil {
								t.Error(err)
							}
							if err := os.Symlink(map[bool]string{false: outside, true: target}[moveOut], dist); err != nil {
								t.Error(err)
							}
						})
					}
					return false
				})
				before := snapshotDir(t, outside)
				got := f.run(t, nil)
				if got.code == 0 {
					t.Errorf("the run succeeded although its output directory was swapped:\n%s", got.stdout)
				}
				if after := snapshotDir(t, outside); !equalSnapshots(before, after, outside, moveOut) {
					t.Errorf("files outside the workspace changed:\nbefore %v\nafter  %v", before, after)
				}
			})
		}
	}
}

// snapshotDir maps every regular file below dir to its content.
func snapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || !info.Mode().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// equalSnapshots compares what was outside before and after a run; a
// directory moved out by the swap holds its previous file, unchanged.
func equalSnapshots(before, after map[string]string, _ string, movedOut bool) bool {
	if movedOut {
		before = map[string]string{"dist/baked.json": "previous\n"}
	}
	if len(before) != len(after) {
		return false
	}
	for k, v := range before {
		if after[k] != v {
			return false
		}
	}
	return true
}

// TestVerifyRollback bakes a pinned, a labelled and an unpinned secret, then
// puts an older version's ciphertext in each entry with its version left as
// it was: the recommended verify step refuses every one.
func TestVerifyRollback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, selector := range []string{":2", ":live", ""} {
		t.Run("selector "+selector, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			oldValue, newValue := leakValue(t, "old"), leakValue(t, "new")
			name := f.put(t, "/a", oldValue)
			if _, err := f.seeder.PutSecureString(ctx, name, newValue, f.keyID); err != nil {
				t.Fatal(err)
			}
			if err := f.seeder.LabelVersion(ctx, name, 2, "live"); err != nil {
				t.Fatal(err)
			}
			writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + name + selector + "\n  OLD: " + name + ":1\n"})
			f.mustRun(t, nil)
			file := f.readBaked(t)
			rolled := file["A"]
			rolled.Ciphertext = file["OLD"].Ciphertext
			file["A"] = rolled
			data, err := file.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			writeFiles(t, f.workspace, map[string]string{baked.DefaultName: string(data)})

			r := newRunner(t, f, map[string]string{"command": "verify", "file": baked.DefaultName})
			for _, got := range []result{f.run(t, nil, "verify", "--file", baked.DefaultName), f.run(t, r.env)} {
				if got.code != 1 || !strings.Contains(got.stdout+got.stderr, specPath+":2:3:") || !strings.Contains(got.stdout+got.stderr, "another version's (rolled back)") {
					t.Errorf("exit %d, output:\n%s%s\nwant exit 1 with a version finding at the spec line", got.code, got.stdout, got.stderr)
				}
				leakcheck.New(oldValue, newValue).AssertNone(t, map[string]string{"stdout": got.stdout, "stderr": got.stderr, "summary": r.read(t, "summary")}, f.workspace)
			}
		})
	}
}

// TestVerifyForeignARN refuses an entry for the same parameter name in another account,
// region or partition, although its ciphertext is genuinely bound to that ARN and decrypts.
func TestVerifyForeignARN(t *testing.T) {
	t.Parallel()
	for _, edit := range []struct{ name, from, to, want string }{
		{"account", ":123456789012:", ":210987654321:", "account 210987654321, want 123456789012"},
		{"region", ":us-east-1:", ":eu-west-1:", "region eu-west-1, want us-east-1"},
		{"partition", "arn:aws:", "arn:aws-cn:", "partition aws-cn, want aws"},
	} {
		t.Run(edit.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			value := leakValue(t, "foreign")
			writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + f.put(t, "/a", value) + "\n"})
			f.mustRun(t, nil)
			file := f.readBaked(t)
			e := file["A"]
			e.ARN = strings.Replace(e.ARN, edit.from, edit.to, 1)
			// A ciphertext of the same value bound to the foreign ARN, as that
			// account's or region's SSM would have made it.
			out, err := kms.NewFromConfig(f.emu.AWSConfig(region)).Encrypt(context.Background(), &kms.EncryptInput{
				KeyId: &f.keyID, Plaintext: []byte(value), EncryptionContext: e.EncryptionContext(),
			})
			if err != nil {
				t.Fatal(err)
			}
			e.Ciphertext = base64.StdEncoding.EncodeToString(out.CiphertextBlob)
			file["A"] = e
			data, err := file.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			writeFiles(t, f.workspace, map[string]string{baked.DefaultName: string(data)})

			got := f.run(t, nil, "verify", "--file", baked.DefaultName)
			if got.code != 1 || !strings.Contains(got.stderr, specPath+":2:3:") || !strings.Contains(got.stderr, edit.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 at the spec line naming %q", got.code, got.stderr, edit.want)
			}
			leakcheck.New(value).AssertNone(t, map[string]string{"stdout": got.stdout, "stderr": got.stderr}, f.workspace)
		})
	}
}

// TestVerifyExpectedDigest refuses a file whose digest is not the expected
// one, before any AWS call, and a malformed digest as an invalid input.
func TestVerifyExpectedDigest(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
	f.mustRun(t, nil)
	digest := baked.Digest(f.readOutput(t, baked.DefaultName))
	before := f.proxy.CallsTotal()

	other := "sha256:" + strings.Repeat("0", 64)
	tests := []struct {
		digest string
		code   int
		want   string
	}{
		{other, 1, "digest"},
		{"sha256:abc", 2, "expected-digest"},
		{"md5:" + strings.Repeat("0", 32), 2, "expected-digest"},
		{strings.ToUpper(digest), 2, "expected-digest"},
	}
	for _, tc := range tests {
		got := f.run(t, nil, "verify", "--file", baked.DefaultName, "--expected-digest", tc.digest)
		if got.code != tc.code || !strings.Contains(got.stderr, tc.want) {
			t.Errorf("expected-digest %s: exit %d, stderr:\n%s\nwant exit %d naming %s", tc.digest, got.code, got.stderr, tc.code, tc.want)
		}
	}
	if after := f.proxy.CallsTotal(); !equalCounts(before, after) {
		t.Errorf("AWS calls made before refusing the digest: %v, then %v", before, after)
	}
	f.mustRun(t, nil, "verify", "--file", baked.DefaultName, "--expected-digest", digest)
}
