package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// roleBed is a fixture with two secrets, A and B, and the means to make
// function roles with policies for them.
type roleBed struct {
	*fixture
	arnA, arnB string // the parameters' ARNs
	roles      int
}

func newRoleBed(t *testing.T) *roleBed {
	t.Helper()
	f := newFixture(t)
	a, b := f.put(t, "/a", "value-a"), f.put(t, "/b", "value-b")
	writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + a + "\n  B: " + b + "\n"})
	arn := func(name string) string { return "arn:aws:ssm:" + region + ":" + testbed.Account + ":parameter" + name }
	return &roleBed{fixture: f, arnA: arn(a), arnB: arn(b)}
}

// role makes a role in account that trusts trusted and has the identity
// policy policy (none when empty), and returns its ARN.
func (b *roleBed) role(t *testing.T, account, policy string, trusted ...string) string {
	t.Helper()
	b.roles++
	name := fmt.Sprintf("%.60s-%d", testbed.UniqueRoleName(t), b.roles)
	inline := map[string]string{}
	if policy != "" {
		inline["decrypt"] = policy
	}
	if len(trusted) == 0 {
		trusted = []string{testbed.Account}
	}
	arn, err := b.emu.SeederIn(region, account).CreateRole(context.Background(), name, testbed.TrustPolicy(trusted...), inline)
	if err != nil {
		t.Fatal(err)
	}
	return arn
}

// TestFunctionRoleProof runs bake with function roles, as CLI and Action:
// each role is assumed once and asked once per secret, refusals are located
// at the secret's spec line with KMS's reason, a role that cannot be assumed
// gets the trust statement to add, and a failed proof writes no file.
func TestFunctionRoleProof(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	viaSSM := func(b *roleBed) string {
		return testbed.Policy(testbed.Statement{Effect: "Allow", Action: "kms:Decrypt", Resource: b.keyARN,
			Condition: map[string]map[string]any{"StringEquals": {"kms:ViaService": "ssm." + region + ".amazonaws.com"}}})
	}
	tests := []struct {
		name  string
		roles func(t *testing.T, b *roleBed) []string
		// refused lists "role index:secret" pairs; unassumable the role indexes.
		refused     []string
		unassumable []int
	}{
		{name: "allowed by identity policy", roles: func(t *testing.T, b *roleBed) []string {
			return []string{b.role(t, testbed.Account, testbed.DecryptPolicy(b.keyARN, b.arnA, b.arnB))}
		}},
		{name: "missing the key", refused: []string{"0:A", "0:B"}, roles: func(t *testing.T, b *roleBed) []string {
			return []string{b.role(t, testbed.Account, testbed.DecryptPolicy("arn:aws:kms:"+region+":"+testbed.Account+":key/00000000-0000-0000-0000-000000000000"))}
		}},
		{name: "condition names another parameter", refused: []string{"0:B"}, roles: func(t *testing.T, b *roleBed) []string {
			return []string{b.role(t, testbed.Account, testbed.DecryptPolicy(b.keyARN, b.arnA))}
		}},
		{name: "allowed only through SSM", refused: []string{"0:A", "0:B"}, roles: func(t *testing.T, b *roleBed) []string {
			return []string{b.role(t, testbed.Account, viaSSM(b))}
		}},
		{name: "trust policy refuses the run", unassumable: []int{0}, roles: func(t *testing.T, b *roleBed) []string {
			return []string{b.role(t, testbed.Account, testbed.DecryptPolicy(b.keyARN), "arn:aws:iam::"+testbed.Account+":role/someone-else")}
		}},
		{name: "role in another account", refused: []string{"0:A", "0:B"}, roles: func(t *testing.T, b *roleBed) []string {
			return []string{b.role(t, testbed.OtherAccount, testbed.DecryptPolicy(b.keyARN), testbed.Account)}
		}},
		{name: "two roles, one good and one bad", refused: []string{"1:A", "1:B"}, roles: func(t *testing.T, b *roleBed) []string {
			return []string{b.role(t, testbed.Account, testbed.DecryptPolicy(b.keyARN)), b.role(t, testbed.Account, "")}
		}},
	}
	for _, tc := range tests {
		for _, action := range []bool{false, true} {
			t.Run(tc.name+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				b := newRoleBed(t)
				arns := tc.roles(t, b)
				got, r := runIn(t, b.fixture, action, map[string]string{"function-roles": strings.Join(arns, "\n")}, "--function-roles", strings.Join(arns, ","))
				out := got.stdout + got.stderr
				wantCode := 0
				if len(tc.refused)+len(tc.unassumable) > 0 {
					wantCode = 1
				}
				if got.code != wantCode {
					t.Fatalf("exit %d, want %d\n%s", got.code, wantCode, out)
				}
				for _, pair := range tc.refused {
					var i int
					var secret string
					fmt.Sscanf(strings.Replace(pair, ":", " ", 1), "%d %s", &i, &secret)
					line := map[string]string{"A": ":2:3: ", "B": ":3:3: "}[secret]
					want := specPath + line + `secret "` + secret + `"`
					if !strings.Contains(out, want) || !strings.Contains(out, "function role "+arns[i]+" may not decrypt it") || !strings.Contains(out, "AccessDeniedException") {
						t.Errorf("no refusal of %s for role %d at %s with KMS's reason:\n%s", secret, i, want, out)
					}
				}
				for _, i := range tc.unassumable {
					if !strings.Contains(out, "STS answered AccessDenied to sts:AssumeRole on "+arns[i]) || !strings.Contains(out, `"Principal": {"AWS": "`+testbed.CallerARN+`"}`) {
						t.Errorf("no trust statement for role %d:\n%s", i, out)
					}
				}
				assumed := len(arns) - len(tc.unassumable)
				if n := b.proxy.Calls("sts:AssumeRole"); n != len(arns) {
					t.Errorf("sts:AssumeRole calls = %d, want %d (one per role)", n, len(arns))
				}
				if n := b.proxy.Calls("kms:Decrypt"); n != 2+2*assumed {
					t.Errorf("kms:Decrypt calls = %d, want %d (2 verifying, 2 per assumed role)", n, 2+2*assumed)
				}
				if _, err := os.Stat(filepath.Join(b.workspace, baked.DefaultName)); (err == nil) != (wantCode == 0) {
					t.Errorf("baked file written: %v, want %v", err == nil, wantCode == 0)
				}
				if r != nil && !strings.Contains(r.read(t, "summary"), "### Function roles") {
					t.Errorf("the summary has no table of function roles:\n%s", r.read(t, "summary"))
				}
			})
		}
	}
}

// TestCheckRolesCalls: check-roles on a file of 200 secrets with 3 roles
// makes exactly one AssumeRole per role and one DryRun Decrypt per secret per
// role, and nothing else.
func TestCheckRolesCalls(t *testing.T) {
	t.Parallel()
	const n = 200
	f := newFixture(t)
	var spec strings.Builder
	spec.WriteString("secrets:\n")
	for i := range n {
		fmt.Fprintf(&spec, "  S%03d: %s\n", i, f.put(t, fmt.Sprintf("/s%03d", i), "v"))
	}
	writeFiles(t, f.workspace, map[string]string{specPath: spec.String()})
	if got := f.run(t, nil); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	b := &roleBed{fixture: f}
	arns := []string{b.role(t, testbed.Account, testbed.DecryptPolicy(f.keyARN)), b.role(t, testbed.Account, testbed.DecryptPolicy(f.keyARN)), b.role(t, testbed.Account, testbed.DecryptPolicy(f.keyARN))}
	before := f.proxy.CallsTotal()
	got := f.run(t, nil, "check-roles", "--file", baked.DefaultName, "--function-roles", strings.Join(arns, ","))
	if got.code != 0 || !strings.Contains(got.stdout, "3 function role(s) can decrypt the 200 secret(s) in secret-baker-secrets.json (3 AssumeRole, 600 DryRun Decrypt)") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
	}
	calls := f.proxy.CallsTotal()
	for op, c := range before {
		if calls[op] -= c; calls[op] == 0 {
			delete(calls, op)
		}
	}
	if want := map[string]int{"sts:AssumeRole": 3, "kms:Decrypt": 600}; !equalCounts(calls, want) {
		t.Errorf("calls = %v, want %v", calls, want)
	}
}

// TestCheckRolesNeedsARole: check-roles with no role in the input or the
// spec is an invalid input, refused before any AWS call, after the notices
// of the spec's roles it cannot check.
func TestCheckRolesNeedsARole(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, config, spec string
		wantNotice         string // "" for none
	}{
		{name: "no roles", config: specPath, spec: "secrets:\n  A: /a\n"},
		{name: "serverless framework's role", config: "serverless.yml", spec: "service: s\nprovider:\n  name: aws\nfunctions:\n  api:\n    handler: h\ncustom:\n  secretBaker:\n    A: /a\n",
			wantNotice: "serverless.yml:5:3: functions.api names no role, nor does the provider, so the function runs as the role the Serverless Framework makes: not checked; give the function roles' ARNs in the function-roles input to check them"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newOfflineFixture(t)
			writeFiles(t, f.workspace, map[string]string{tt.config: tt.spec, baked.DefaultName: "{}\n"})
			got := f.run(t, nil, "check-roles", "--file", baked.DefaultName, "--config", tt.config)
			if got.code != 2 || !strings.Contains(got.stderr, "no function role to check") {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 2", got.code, got.stderr)
			}
			if gotNotice := strings.Contains(got.stderr, "not checked;"); gotNotice != (tt.wantNotice != "") || !strings.Contains(got.stderr, tt.wantNotice) {
				t.Errorf("stderr:\n%s\nwant the notice %q", got.stderr, tt.wantNotice)
			}
		})
	}
}

// TestServerlessFunctionRoles: with a serverless.yml, the literal role ARNs
// of provider.iam.role and functions.*.role are checked, and a
// CloudFormation reference is a notice at its line, never guessed at.
func TestServerlessFunctionRoles(t *testing.T) {
	t.Parallel()
	for _, action := range []bool{false, true} {
		t.Run(modeName[action], func(t *testing.T) {
			t.Parallel()
			b := newRoleBed(t)
			role := b.role(t, testbed.Account, testbed.DecryptPolicy(b.keyARN))
			a := strings.TrimPrefix(b.arnA, "arn:aws:ssm:"+region+":"+testbed.Account+":parameter")
			writeFiles(t, b.workspace, map[string]string{"serverless.yml": "service: s\nprovider:\n  name: aws\n  iam:\n    role: " + role + "\nfunctions:\n  api:\n    handler: h\n    role: {\"Fn::GetAtt\": [WorkerRole, Arn]}\ncustom:\n  secretBaker:\n    A: " + a + "\n"})
			if got := b.run(t, nil, "--config", "serverless.yml", "--verify=false"); got.code != 0 {
				t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
			}
			got, _ := runIn(t, b.fixture, action, map[string]string{"command": "check-roles", "file": baked.DefaultName, "config": "serverless.yml"}, "check-roles", "--file", baked.DefaultName, "--config", "serverless.yml")
			out := got.stdout + got.stderr
			if got.code != 0 || !strings.Contains(out, "serverless.yml:9:11: functions.api.role is not a literal IAM role ARN") || !strings.Contains(out, "1 function role(s) can decrypt the 1 secret(s)") {
				t.Errorf("exit %d, want 0 with a notice for functions.api.role and the literal role checked:\n%s", got.code, out)
			}
			if action && !strings.Contains(got.stdout, "::notice ") {
				t.Errorf("the reference is not a notice annotation:\n%s", got.stdout)
			}
		})
	}
}

// TestFunctionRolesAccountGuard: with allowed-account-ids, a function role
// of another account is refused before it is assumed.
func TestFunctionRolesAccountGuard(t *testing.T) {
	t.Parallel()
	b := newRoleBed(t)
	if got := b.run(t, nil); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	foreign := "arn:aws:iam::" + testbed.OtherAccount + ":role/fn"
	got := b.run(t, nil, "check-roles", "--file", baked.DefaultName, "--function-roles", foreign, "--allowed-account-ids", testbed.Account)
	if got.code != 1 || !strings.Contains(got.stderr, "account "+testbed.OtherAccount+" of the function roles is not in allowed-account-ids") {
		t.Errorf("exit %d, stderr:\n%s\nwant the foreign role refused", got.code, got.stderr)
	}
	if n := b.proxy.Calls("sts:AssumeRole"); n != 0 {
		t.Errorf("sts:AssumeRole calls = %d, want 0", n)
	}
}
