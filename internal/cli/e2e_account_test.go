package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// A list of the emulator's account, 123456789012, and one that refuses it.
const (
	listWithEmulatorAccount = "210987654321, 123456789012"
	listWithoutIt           = "210987654321,111122223333"
)

// TestAllowedAccountIDsMalformed checks that a malformed list is a usage
// error (exit 2) naming the bad item with control characters escaped, as a
// flag and as an Action input, before anything else happens.
func TestAllowedAccountIDsMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, list, want string
	}{
		{"11 digits", "12345678901", `item 1 of 1, "12345678901", is not a 12-digit AWS account ID`},
		{"letters", "123456789012,12345678901O", `item 2 of 2, "12345678901O", is not a 12-digit AWS account ID`},
		{"empty item", "123456789012,,210987654321", "item 2 of 3 is empty"},
		{"wildcard", "*", `item 1 of 1, "*", is not a 12-digit AWS account ID`},
		{"newline-separated", "123456789012\n210987654321", `item 1 of 1, "123456789012\n210987654321", is not`},
		{"control characters", "12345678901\x1b[2J", `item 1 of 1, "12345678901\x1b[2J", is not`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := "invalid input: input allowed-account-ids: " + tc.want
			for _, action := range []bool{false, true} {
				ws := t.TempDir()
				writeFiles(t, ws, map[string]string{".github/secret-baker.yml": "secrets:\n  A: /a\n"})
				env := []string{"AWS_REGION=" + region, "AWS_ENDPOINT_URL=" + noCallsEndpoint(t)}
				var args []string
				if action {
					env = append(env, "GITHUB_ACTIONS=true", "INPUT_ALLOWED-ACCOUNT-IDS="+tc.list)
				} else {
					args = []string{"--allowed-account-ids", tc.list}
				}
				got := runInProcess(t, ws, env, args...)
				out := got.stderr
				if action {
					out = got.stdout
				}
				if got.code != 2 || !strings.Contains(out, want) {
					t.Errorf("Action %v: exit %d, output:\n%s\nwant exit 2 and %q", action, got.code, out, want)
				}
				if strings.ContainsAny(got.stdout+got.stderr, "\x1b") || strings.Contains(got.stdout, "\n2109") {
					t.Errorf("Action %v: a control character of the input reached the output:\n%q", action, got.stdout+got.stderr)
				}
			}
		})
	}
}

// TestAllowedAccountRoleRefused checks that a role-to-assume in an account the
// list does not hold is refused before any AWS call, the OIDC token included.
func TestAllowedAccountRoleRefused(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	writeFiles(t, ws, map[string]string{".github/secret-baker.yml": "secrets:\n  A: /a\n"})
	env := []string{
		"AWS_REGION=" + region, "AWS_ENDPOINT_URL=" + noCallsEndpoint(t),
		"GITHUB_ACTIONS=true", "GITHUB_OUTPUT=" + filepath.Join(t.TempDir(), "output"),
		"INPUT_ROLE-TO-ASSUME=arn:aws:iam::999988887777:role/deploy",
		"INPUT_ALLOWED-ACCOUNT-IDS=" + listWithoutIt,
		"ACTIONS_ID_TOKEN_REQUEST_URL=" + noCallsEndpoint(t), "ACTIONS_ID_TOKEN_REQUEST_TOKEN=t",
	}
	got := runInProcess(t, ws, env)
	want := "::error title=AWS account not allowed::AWS account not allowed: account 999988887777 of role-to-assume is not in allowed-account-ids (210987654321, 111122223333)"
	if got.code != 1 || !strings.Contains(got.stdout, want) {
		t.Errorf("exit %d, stdout:\n%s\nwant exit 1 and %q", got.code, got.stdout, want)
	}
}

// TestAllowedAccountBake checks bake against the emulator: an allowed account
// bakes as usual; a refused one fails after the one GetParameters call, with
// no Decrypt or key lookup, and leaves the previous file as it was.
func TestAllowedAccountBake(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	t.Run("allowed", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
		f.mustRun(t, nil, "--allowed-account-ids", listWithEmulatorAccount)
		if n := f.proxy.Calls("kms:Decrypt"); n != 1 {
			t.Errorf("Decrypt calls = %d, want 1", n)
		}
		if n := f.proxy.Calls("sts:GetCallerIdentity"); n != 0 {
			t.Errorf("GetCallerIdentity calls = %d, want none", n)
		}
	})
	t.Run("refused", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		writeFiles(t, f.workspace, map[string]string{
			".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n  B: " + f.put(t, "/b", "v") + "\n",
			baked.DefaultName:          "previous\n",
		})
		r := newRunner(t, f, map[string]string{"allowed-account-ids": listWithoutIt})
		got := f.run(t, r.env)
		want := "::error title=AWS account not allowed::AWS account not allowed: account 123456789012 of the parameter ARNs SSM returned is not in allowed-account-ids (210987654321, 111122223333)"
		if got.code != 1 || !strings.Contains(got.stdout, want) {
			t.Errorf("exit %d, stdout:\n%s\nwant exit 1 and %q", got.code, got.stdout, want)
		}
		if want := map[string]int{"ssm:GetParameters": 1}; !equalCounts(f.proxy.CallsTotal(), want) {
			t.Errorf("calls = %v, want %v: no Decrypt", f.proxy.CallsTotal(), want)
		}
		if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
			t.Errorf("output file changed to %q", data)
		}
		if out := r.read(t, "output"); out != "" {
			t.Errorf("outputs set on refusal:\n%s", out)
		}
	})
	t.Run("allowed role", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
		r := newRunner(t, f, map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/deploy", "allowed-account-ids": listWithEmulatorAccount})
		got := f.run(t, append(r.env, oidcEndpoint(t, "sts.amazonaws.com")...))
		if got.code != 0 {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
		}
		if n := f.proxy.Calls("kms:Decrypt"); n != 1 {
			t.Errorf("Decrypt calls = %d, want 1", n)
		}
		if n := f.proxy.Calls("sts:GetCallerIdentity"); n != 0 {
			t.Errorf("GetCallerIdentity calls = %d, want none", n)
		}
	})
}

// TestAllowedAccountVerifyCommand checks that the verify command takes the
// account from the baked file's parameter ARNs and refuses before any AWS
// call; so does the drift command.
func TestAllowedAccountVerifyCommand(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
	f.mustRun(t, nil, "--verify=false")
	before := f.proxy.CallsTotal()

	got := f.run(t, nil, "drift", "--file", baked.DefaultName, "--allowed-account-ids", listWithoutIt)
	want := "secret-baker: AWS account not allowed: account 123456789012 of the parameter ARNs in the baked file is not in allowed-account-ids (210987654321, 111122223333)"
	if got.code != 1 || !strings.Contains(got.stderr, want) {
		t.Errorf("drift: exit %d, stderr:\n%s\nwant exit 1 and %q", got.code, got.stderr, want)
	}

	got = f.run(t, nil, "verify", "--file", baked.DefaultName, "--allowed-account-ids", listWithoutIt)
	if got.code != 1 || !strings.Contains(got.stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", got.code, got.stderr, want)
	}
	if after := f.proxy.CallsTotal(); !equalCounts(after, before) {
		t.Errorf("calls = %v after the refusal, %v before: want none made", after, before)
	}

	f.mustRun(t, nil, "verify", "--file", baked.DefaultName, "--allowed-account-ids", listWithEmulatorAccount)
	if n := f.proxy.Calls("kms:Decrypt"); n != 1 {
		t.Errorf("Decrypt calls = %d, want 1 for the allowed verify", n)
	}
}
