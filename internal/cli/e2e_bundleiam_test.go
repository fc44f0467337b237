package cli

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// documentedStatements returns a policy of the statements SECURITY.md gives
// under the Sids sids, with its placeholders (REGION, ACCOUNT, KEY-ID, the
// /prod/ path) replaced by the fixture's: what the docs promise, run as it
// is written.
func documentedStatements(t *testing.T, f *fixture, sids ...string) string {
	t.Helper()
	doc, err := os.ReadFile("../../SECURITY.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllStringSubmatch(string(doc), -1)
	var statements []json.RawMessage
	for _, sid := range sids {
		found := false
		for _, b := range blocks {
			// A block is a statement, a list of them or a policy.
			var one struct{ Sid string }
			var list []json.RawMessage
			var policy struct{ Statement []json.RawMessage }
			switch {
			case json.Unmarshal([]byte(b[1]), &one) == nil && one.Sid != "":
				list = []json.RawMessage{json.RawMessage(b[1])}
			case json.Unmarshal([]byte(b[1]), &list) == nil:
			case json.Unmarshal([]byte(b[1]), &policy) == nil:
				list = policy.Statement
			}
			for _, st := range list {
				if json.Unmarshal(st, &one) == nil && one.Sid == sid {
					statements, found = append(statements, st), true
				}
			}
		}
		if !found {
			t.Fatalf("SECURITY.md has no statement %q", sid)
		}
	}
	policy, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": statements})
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer(
		"key/KEY-ID", f.keyARN[strings.Index(f.keyARN, "key/"):],
		"REGION", region, "ACCOUNT", testbed.Account,
		"parameter/prod/*", "parameter"+f.prefix+"/*",
		"secret:prod/*", "secret:"+strings.TrimPrefix(f.prefix, "/")+"/*",
	).Replace(string(policy))
}

// bundleRoleSpec writes a spec that bundles A and B, on the bundle line 2.
func bundleRoleSpec(t *testing.T, b *roleBed) {
	t.Helper()
	writeFiles(t, b.workspace, map[string]string{specPath: "kms-key-id: " + b.keyAlias + "\nbundle: true\nsecrets:\n  A: " + b.prefix + "/a\n  B: " + b.prefix + "/b\n"})
}

// TestFunctionRoleProofBundle: with a bundle the proof asks once per chunk,
// as the readers decrypt it. A role bound to PARAMETER_ARN, SECURITY.md's
// statement without a bundle, is refused at the spec's bundle line; its
// statement for a bundle is admitted.
func TestFunctionRoleProofBundle(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	tests := []struct {
		name    string
		sid     string
		refused bool
	}{
		{name: "bound to PARAMETER_ARN", sid: "DecryptBakedSecrets", refused: true},
		{name: "the bundle statement", sid: "DecryptBakedBundle"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := newRoleBed(t)
			bundleRoleSpec(t, b)
			role := b.role(t, testbed.Account, documentedStatements(t, b.fixture, tc.sid))
			got := b.run(t, nil, "--function-roles", role)
			if tc.refused {
				want := specPath + ":2:9: "
				if got.code != 1 || !strings.Contains(got.stderr, want) || !strings.Contains(got.stderr, "bundle chunk 1 of 1") || !strings.Contains(got.stderr, "AccessDeniedException") {
					t.Errorf("exit %d, want 1 and the chunk refused at %s with KMS's reason:\n%s", got.code, want, got.stderr)
				}
			} else if got.code != 0 {
				t.Errorf("exit %d, want 0:\n%s", got.code, got.stderr)
			}
			// Verification decrypts A and B; the proof asks once, for the one chunk.
			if n := b.proxy.Calls("kms:Decrypt"); n != 3 {
				t.Errorf("kms:Decrypt calls = %d, want 3 (2 verifying, 1 DryRun for the chunk)", n)
			}
		})
	}
}

// TestCIRoleBundlePolicy: a CI role holding SECURITY.md's statements bakes
// with a bundle, rebakes reusing it and verifies it; without SealBundle, KMS
// refuses the bundle's Encrypt.
func TestCIRoleBundlePolicy(t *testing.T) {
	t.Parallel()
	testbed.Shared(t)
	checkCIStatement(t, func(t *testing.T) *roleBed {
		b := newRoleBed(t)
		bundleRoleSpec(t, b)
		return b
	}, []string{"ReadCiphertext", "TrialDecrypt"}, "SealBundle", nil)
}

// TestSecretsManagerIAM: a CI role holding SECURITY.md's statements bakes and
// verifies SSM and Secrets Manager secrets; without SealSecretsManager, KMS
// refuses the seal. A function role with DecryptSealedSecrets passes the
// proof for the sealed secrets, and one bound to PARAMETER_ARN alone is
// refused for them.
func TestSecretsManagerIAM(t *testing.T) {
	t.Parallel()
	testbed.Shared(t)
	newBed := func(t *testing.T) *roleBed { return &roleBed{fixture: newSMBed(t).fixture} }
	checkCIStatement(t, newBed, []string{"ReadCiphertext", "TrialDecrypt", "ReadSecretsManager", "DecryptThroughSecretsManager"}, "SealSecretsManager", func(t *testing.T, b *roleBed) {
		for _, fn := range []struct {
			sids    []string
			refused bool
		}{{[]string{"DecryptBakedSecrets", "DecryptSealedSecrets"}, false}, {[]string{"DecryptBakedSecrets"}, true}} {
			role := b.role(t, testbed.Account, documentedStatements(t, b.fixture, fn.sids...))
			got := b.run(t, nil, "check-roles", "--file", baked.DefaultName, "--function-roles", role)
			if refused := got.code == 1 && strings.Contains(got.stderr, "AccessDeniedException"); refused != fn.refused || (!fn.refused && got.code != 0) {
				t.Errorf("function role with %v: exit %d, want refused %v:\n%s", fn.sids, got.code, fn.refused, got.stderr)
			}
		}
	})
}

// checkCIStatement runs the Action, through OIDC, as a CI role holding
// SECURITY.md's statements base, with and without the statement needed, each
// on a new bed: without it, KMS refuses the bake; with it, a bake, a rebake
// and verify pass, and then after, if not nil, checks the bed.
func checkCIStatement(t *testing.T, newBed func(*testing.T) *roleBed, base []string, needed string, after func(*testing.T, *roleBed)) {
	for _, with := range []bool{true, false} {
		t.Run(map[bool]string{true: "with " + needed, false: "without"}[with], func(t *testing.T) {
			t.Parallel()
			b := newBed(t)
			sids := slices.Clone(base)
			if with {
				sids = append(sids, needed)
			}
			ci := b.role(t, testbed.Account, documentedStatements(t, b.fixture, sids...))
			asCI := func(inputs map[string]string) result {
				inputs["role-to-assume"] = ci
				r := newRunner(t, b.fixture, inputs)
				return b.run(t, append(r.env, oidcEndpoint(t, "sts.amazonaws.com")...))
			}
			got := asCI(map[string]string{})
			if !with {
				if got.code != 1 || !strings.Contains(got.stdout+got.stderr, "AccessDeniedException") {
					t.Errorf("exit %d, want 1 and KMS's refusal:\n%s%s", got.code, got.stdout, got.stderr)
				}
				return
			}
			if got.code != 0 {
				t.Fatalf("bake: exit %d:\n%s%s", got.code, got.stdout, got.stderr)
			}
			for _, inputs := range []map[string]string{{}, {"command": "verify", "file": baked.DefaultName}} {
				if got := asCI(inputs); got.code != 0 {
					t.Errorf("%v: exit %d:\n%s%s", inputs, got.code, got.stdout, got.stderr)
				}
			}
			if after != nil {
				after(t, b)
			}
		})
	}
}
