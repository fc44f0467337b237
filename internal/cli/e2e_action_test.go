package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// actionInputs returns action.yml's inputs and their defaults.
func actionInputs(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for name, in := range action.Inputs {
		out[name] = in.Default
	}
	return out
}

// TestActionInputsMatchProgram checks that action.yml declares exactly the
// inputs the program reads, with the same defaults.
func TestActionInputsMatchProgram(t *testing.T) {
	t.Parallel()
	got := actionInputs(t)
	want := map[string]string{"command": "bake", "config": ""}
	for _, in := range inputs {
		if _, ok := want[in.name]; !ok {
			want[in.name] = in.def
		}
	}
	if len(got) != len(want) {
		t.Errorf("action.yml has %d inputs, the program reads %d", len(got), len(want))
	}
	for name, def := range want {
		if g, ok := got[name]; !ok || g != def {
			t.Errorf("action.yml input %s: default %q (declared %v), want %q", name, g, ok, def)
		}
	}
}

func TestActionSuccess(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{
		"deploy/secret-baker.yml": "kms-key-id: " + f.keyAlias + "\nsecrets:\n" +
			"  DB_PASSWORD: " + f.put(t, "/db", "multi\nline value") + "\n" +
			"  API_TOKEN: {path: " + f.put(t, "/token", "tok_123") + ", regex: '^tok_[0-9]+$'}\n",
	})
	r := newRunner(t, f, map[string]string{"config": "deploy/secret-baker.yml", "output": "dist/secrets.json"})

	got := f.run(t, r.env)

	if got.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	checkGolden(t, "success.stdout", normalize(f, got.stdout))
	checkGolden(t, "success.output", normalize(f, r.read(t, "output")))
	checkGolden(t, "success.summary.md", normalize(f, r.read(t, "summary")))
	for _, line := range []string{"::add-mask::multi%0Aline value\n", "::add-mask::multi\n", "::add-mask::line value\n", "::add-mask::tok_123\n"} {
		if !strings.Contains(got.stdout, line) {
			t.Errorf("stdout lacks %q", line)
		}
	}
	if _, err := os.Stat(filepath.Join(f.workspace, "dist", "secrets.json")); err != nil {
		t.Error(err)
	}
}

func TestActionFailureAnnotations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{
		".github/secret-baker.yml": "secrets:\n" +
			"  GOOD: " + f.put(t, "/good", "fine") + "\n" +
			"  MISSING: " + f.prefix + "/missing\n" +
			"  SHORT: {path: " + f.put(t, "/short", "tok_1") + ", regex: '^tok_[0-9]{8}$'}\n",
	})
	r := newRunner(t, f, nil)

	got := f.run(t, r.env)

	if got.code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	checkGolden(t, "failure.stdout", normalize(f, got.stdout))
	checkGolden(t, "failure.summary.md", normalize(f, r.read(t, "summary")))
	if out := r.read(t, "output"); out != "" {
		t.Errorf("outputs set on failure:\n%s", out)
	}
}

func TestActionAssumesRoleWithOIDC(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
	r := newRunner(t, f, map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/deploy-secrets", "audience": "sts.example.com"})

	got := f.run(t, append(r.env, oidcEndpoint(t, "sts.example.com")...))

	if got.code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	if n := f.proxy.Calls("sts:AssumeRoleWithWebIdentity"); n != 1 {
		t.Errorf("AssumeRoleWithWebIdentity calls = %d, want 1", n)
	}
	for _, op := range []string{"ssm:GetParameters", "kms:Decrypt"} {
		keys := f.proxy.AccessKeys(op)
		if len(keys) == 0 {
			t.Errorf("no %s call", op)
		}
		for _, k := range keys {
			if k == "testing" || k == "" {
				t.Errorf("%s signed with %q, not the assumed role's credentials", op, k)
			}
		}
	}
	if !regexp.MustCompile(`(?m)^::add-mask::[\w-]+\.[\w-]+\.[\w-]+$`).MatchString(got.stdout) {
		t.Errorf("the OIDC token was not masked:\n%s", got.stdout)
	}
}

func TestActionRoleErrors(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	tests := []struct {
		name string
		with map[string]string
		oidc bool
		want string
	}{
		{
			name: "no id-token permission",
			with: map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/deploy"},
			want: "permissions: id-token: write",
		},
		{
			name: "bad session name",
			with: map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/deploy", "role-session-name": "no spaces allowed"},
			oidc: true,
			want: `invalid role-session-name "no spaces allowed": want 2 to 64 characters among letters, digits and _+=,.@-`,
		},
		{
			name: "bad duration",
			with: map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/deploy", "role-duration-seconds": "60"},
			oidc: true,
			want: `input role-duration-seconds must be a whole number from 900 to 43200, got "60"`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
			r := newRunner(t, f, tc.with)
			env := r.env
			if tc.oidc {
				env = append(env, oidcEndpoint(t, "sts.amazonaws.com")...)
			}
			got := f.run(t, env)
			if got.code == 0 || !strings.Contains(got.stdout, tc.want) {
				t.Errorf("exit %d, stdout:\n%s\nwant an error with %q", got.code, got.stdout, tc.want)
			}
			if n := len(f.proxy.CallsTotal()); n != 0 {
				t.Errorf("AWS calls made: %v", f.proxy.CallsTotal())
			}
		})
	}
}
