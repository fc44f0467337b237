package cli

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
)

// TestInlineSecretsInput bakes from the secrets input instead of a spec file.
func TestInlineSecretsInput(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := newRunner(t, f, map[string]string{
		"secrets":    "- {name: TOKEN, path: " + f.put(t, "/token", "tok_1") + ", regex: '^tok_'}\n- " + f.put(t, "/plain-name", "x") + "\n",
		"kms-key-id": f.keyARN,
	})
	f.mustRun(t, r.env)
	file := f.readBaked(t)
	if _, ok := file["TOKEN"]; !ok || len(file) != 2 {
		t.Errorf("baked %v, want TOKEN and the plain-named secret", file)
	}
}

// TestInlineSecretsErrors annotates problems of the secrets input without
// pointing at a file, and says where in the input they are.
func TestInlineSecretsErrors(t *testing.T) {
	t.Parallel()
	f := newOfflineFixture(t)
	r := newRunner(t, f, map[string]string{"secrets": "A: /a\nA: /b\n"})
	got := f.run(t, r.env)
	want := "::error title=Invalid secret-baker spec::input:secrets:2:1: duplicate secret \"A\""
	if got.code == 0 || !strings.Contains(got.stdout, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant a line with %q", got.code, got.stdout, want)
	}
}

// TestConfigAndSecretsBothGiven refuses an ambiguous pair of inputs.
func TestConfigAndSecretsBothGiven(t *testing.T) {
	t.Parallel()
	f := newOfflineFixture(t)
	r := newRunner(t, f, map[string]string{"config": "spec.yml", "secrets": "A: /a"})
	got := f.run(t, r.env)
	if got.code != 2 || !strings.Contains(got.stdout, "inputs config and secrets are both given: use one") {
		t.Errorf("exit %d, stdout:\n%s", got.code, got.stdout)
	}
}

// TestServerlessConfig bakes from a serverless.yml's custom.secretBaker, as a
// serverless-secret-baker user switching with one workflow step would.
func TestServerlessConfig(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{"serverless.yml": `service: app
provider:
  name: aws
  environment:
    TABLE: !Ref Table
    STAGE: ${opt:stage, 'dev'}
custom:
  secretBaker:
    - ` + f.put(t, "/as-name", "a") + `
    - name: NAMED
      path: ` + f.put(t, "/named", "b") + `
functions:
  hello:
    handler: handler.hello
`})
	r := newRunner(t, f, map[string]string{"config": "serverless.yml"})
	f.mustRun(t, r.env)
	file := f.readBaked(t)
	if _, ok := file["NAMED"]; !ok || len(file) != 2 {
		t.Errorf("baked %d entries without NAMED", len(file))
	}
}

// TestVerifyCommandInAction checks a deploy job that receives the baked file
// as an artifact: the verify command reads no SSM and sets the outputs.
func TestVerifyCommandInAction(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: {path: " + f.put(t, "/a", "value-a") + ", regex: '^value'}\n"})
	if got := f.run(t, nil, "--output", "artifact/s.json", "--verify=false"); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	bakeCalls := f.proxy.Calls("ssm:GetParameters")

	r := newRunner(t, f, map[string]string{"command": "verify", "file": "artifact/s.json"})
	got := f.run(t, r.env)

	if got.code != 0 {
		t.Fatalf("verify: exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	if n := f.proxy.Calls("ssm:GetParameters"); n != bakeCalls+1 {
		t.Errorf("verify called SSM GetParameters %d times, want once, to check the version", n-bakeCalls)
	}
	if n := f.proxy.Calls("ssm:GetParameter"); n != 0 {
		t.Errorf("verify called SSM GetParameter %d times", n)
	}
	if n := f.proxy.Calls("kms:Decrypt"); n != 1 {
		t.Errorf("Decrypt calls = %d, want 1", n)
	}
	if out := r.read(t, "output"); !strings.Contains(out, "\nartifact/s.json\n") {
		t.Errorf("outputs:\n%s", out)
	}
	// The age of the version, from the date the file records.
	if summary := normalize(f, r.read(t, "summary")); !strings.Contains(summary, "| `A` | `/PREFIX/a` | 1 | DATE | <1h |") {
		t.Errorf("summary:\n%s", summary)
	}
}

// TestVerifyCommandSpecMismatch refuses a baked file that does not hold
// exactly the spec's secrets from the declared parameters.
func TestVerifyCommandSpecMismatch(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a, b := f.put(t, "/a", "va"), f.put(t, "/b", "vb")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + a + "\n  B: " + b + "\n"})
	if got := f.run(t, nil, "--verify=false"); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + b + "\n  C: " + a + "\n"})

	got := f.run(t, nil, "verify", "--file", baked.DefaultName)

	for _, want := range []string{
		`.github/secret-baker.yml:2:3: secret "A" was baked from arn:aws:ssm:us-east-1:123456789012:parameter` + a + `, but the spec declares parameter "` + b + `"`,
		`.github/secret-baker.yml:3:3: secret "C" is declared but not in the baked file`,
		`.github/secret-baker.yml: the baked file holds 1 secret(s) that the spec does not declare`,
	} {
		if !strings.Contains(got.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, got.stderr)
		}
	}
	if strings.Contains(got.stdout+got.stderr, `"B"`) {
		t.Errorf("the undeclared secret B is named:\n%s%s", got.stdout, got.stderr)
	}
	if got.code != 1 {
		t.Errorf("exit %d, want 1", got.code)
	}
}

// TestVerifyCommandSwappedEntries refuses a file whose entries were swapped
// and whose unauthenticated parameter fields were blanked: the parameter is
// read from the ARN, which KMS authenticates.
func TestVerifyCommandSwappedEntries(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a, b := f.put(t, "/a", "va"), f.put(t, "/b", "vb")
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + a + "\n  B: " + b + ":1\n"})
	if got := f.run(t, nil, "--verify=false"); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	file := f.readBaked(t)
	ea, eb := file["A"], file["B"]
	ea.Parameter, eb.Parameter = "", ""
	file["A"], file["B"] = eb, ea
	data, _ := file.Marshal()
	writeFiles(t, f.workspace, map[string]string{baked.DefaultName: string(data)})

	got := f.run(t, nil, "verify", "--file", baked.DefaultName)

	for _, want := range []string{
		`.github/secret-baker.yml:2:3: secret "A" was baked from arn:aws:ssm:us-east-1:123456789012:parameter` + b,
		`.github/secret-baker.yml:3:3: secret "B" was baked from arn:aws:ssm:us-east-1:123456789012:parameter` + a,
	} {
		if !strings.Contains(got.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, got.stderr)
		}
	}
	if got.code != 1 {
		t.Errorf("exit %d, want 1", got.code)
	}
}
