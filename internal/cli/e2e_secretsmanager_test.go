package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/leakcheck"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// smBed is a fixture with Secrets Manager secrets beside an SSM parameter.
type smBed struct {
	*fixture
	dbID, apiID string // secret names
	dbARN       string
}

// newSMBed creates a JSON secret (DB), a plain one (API) and an SSM
// parameter (SSM), all under the fixture's customer managed key, and a
// spec that bakes DB's password field, API through the
// /aws/reference/secretsmanager/ form, and SSM.
func newSMBed(t *testing.T) *smBed {
	t.Helper()
	f := newFixture(t)
	ctx := context.Background()
	b := &smBed{fixture: f, dbID: strings.TrimPrefix(f.prefix, "/") + "/db", apiID: strings.TrimPrefix(f.prefix, "/") + "/api"}
	var err error
	if b.dbARN, _, err = f.seeder.CreateSecret(ctx, b.dbID, `{"password":"pw-one-xyz","port":5432}`, f.keyID); err != nil {
		t.Fatal(err)
	}
	if _, _, err = f.seeder.CreateSecret(ctx, b.apiID, "tok_one_xyz", f.keyID); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, f.workspace, map[string]string{specPath: "kms-key-id: " + f.keyAlias + "\nsecrets:\n" +
		"  DB: {secret-id: " + b.dbID + ", json-key: password, regex: '^pw-'}\n" +
		"  API: /aws/reference/secretsmanager/" + b.apiID + "\n" +
		"  SSM: " + f.put(t, "/ssm", "ssm-value") + "\n"})
	return b
}

// TestSecretsManagerEndToEnd bakes a mixed SSM and Secrets Manager spec,
// as CLI and Action, at the call floor; bakes again to the same bytes with
// no Encrypt; verifies; decrypts with the Go reader; and after a new
// version, drift names the stale secret and the next bake changes only its
// entry.
func TestSecretsManagerEndToEnd(t *testing.T) {
	t.Parallel()
	for _, action := range []bool{false, true} {
		t.Run(modeName[action], func(t *testing.T) {
			t.Parallel()
			b := newSMBed(t)
			ctx := context.Background()
			bake := func() (result, map[string]int) {
				t.Helper()
				before := b.proxy.CallsTotal()
				got, _ := runIn(t, b.fixture, action, map[string]string{})
				if got.code != 0 {
					t.Fatalf("bake: exit %d\n%s%s", got.code, got.stdout, got.stderr)
				}
				return got, delta(before, b.proxy.CallsTotal())
			}
			_, calls := bake()
			if want := map[string]int{"ssm:GetParameters": 1, "secretsmanager:GetSecretValue": 2, "kms:Encrypt": 2, "kms:Decrypt": 3}; !equalCounts(calls, want) {
				t.Errorf("first bake calls = %v, want %v", calls, want)
			}
			first := b.readOutput(t, baked.DefaultName)
			file := b.readBaked(t)
			if db := file["DB"]; !db.SecretsManager() || db.ARN != b.dbARN || db.JSONKey != "password" || db.KeyARN != b.keyARN {
				t.Errorf("DB entry = %+v, want a sealed entry of the password field under the fixture's key", db)
			}

			_, calls = bake()
			if again := b.readOutput(t, baked.DefaultName); string(again) != string(first) {
				t.Errorf("a second bake of unchanged versions changed the file")
			}
			if want := map[string]int{"ssm:GetParameters": 1, "secretsmanager:GetSecretValue": 2, "kms:Decrypt": 5}; !equalCounts(calls, want) {
				t.Errorf("second bake calls = %v, want %v (no Encrypt: both ciphertexts reused)", calls, want)
			}

			secrets, err := baked.Open(filepath.Join(b.workspace, baked.DefaultName), kms.NewFromConfig(b.proxy.AWSConfig(region)))
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range map[string]string{"DB": "pw-one-xyz", "API": "tok_one_xyz", "SSM": "ssm-value"} {
				if got, err := secrets.Get(ctx, name); err != nil || got != want {
					t.Errorf("the Go reader's %s = %v; want its value", name, err)
				}
			}

			if got := b.run(t, nil, "verify", "--file", baked.DefaultName); got.code != 0 {
				t.Errorf("verify: exit %d\n%s", got.code, got.stderr)
			}

			if _, err := b.seeder.PutSecretValue(ctx, b.dbID, `{"password":"pw-two-xyz","port":5432}`); err != nil {
				t.Fatal(err)
			}
			got, outputs, _, calls := runDriftCommand(t, b.fixture, action, nil)
			if !strings.Contains(got.stdout, `1 of 3 secret(s) in secret-baker-secrets.json are stale: "DB"`) || (action && !strings.Contains(outputs, `["DB"]`)) {
				t.Errorf("drift did not name DB stale:\n%s%s\n%s", got.stdout, got.stderr, outputs)
			}
			if calls["kms:Decrypt"]+calls["secretsmanager:GetSecretValue"] != 0 || calls["secretsmanager:DescribeSecret"] != 2 {
				t.Errorf("drift calls = %v, want 2 DescribeSecret and no value read", calls)
			}
			bake()
			rotated := b.readBaked(t)
			for name := range file {
				if changed := rotated[name].Ciphertext != file[name].Ciphertext; changed != (name == "DB") {
					t.Errorf("%s changed: %v, want only DB's entry changed", name, changed)
				}
			}
		})
	}
}

// delta returns the calls of after less those of before.
func delta(before, after map[string]int) map[string]int {
	out := map[string]int{}
	for op, n := range after {
		if d := n - before[op]; d != 0 {
			out[op] = d
		}
	}
	return out
}

// TestSecretsManagerRefusals: each secret bake must refuse fails the run at
// its spec line, exit 1, with no value in any output.
func TestSecretsManagerRefusals(t *testing.T) {
	t.Parallel()
	testbed.Shared(t)
	const value = `{"user":"admin-xyz","other":"hunter2-xyz"}`
	tests := []struct {
		name, want string
		setup      func(t *testing.T, f *fixture, id string) string // returns the secret's spec entry
		keyInSpec  bool
	}{
		{name: "AWS managed key", want: "AWS managed key aws/secretsmanager", setup: func(t *testing.T, f *fixture, id string) string {
			mustSecret(t, f, id, value, "")
			return "{secret-id: " + id + "}"
		}},
		{name: "missing json-key", want: "has no such key: password", keyInSpec: true, setup: func(t *testing.T, f *fixture, id string) string {
			mustSecret(t, f, id, value, f.keyID)
			return "{secret-id: " + id + ", json-key: password}"
		}},
		{name: "not JSON with json-key", want: "is not a JSON object", keyInSpec: true, setup: func(t *testing.T, f *fixture, id string) string {
			mustSecret(t, f, id, "hunter2-xyz plain", f.keyID)
			return "{secret-id: " + id + ", json-key: password}"
		}},
		{name: "SecretBinary", want: "SecretBinary", keyInSpec: true, setup: func(t *testing.T, f *fixture, id string) string {
			if _, _, err := f.seeder.CreateBinarySecret(context.Background(), id, []byte("hunter2-xyz"), f.keyID); err != nil {
				t.Fatal(err)
			}
			return "{secret-id: " + id + "}"
		}},
		{name: "deleted secret", want: "scheduled for deletion", keyInSpec: true, setup: func(t *testing.T, f *fixture, id string) string {
			mustSecret(t, f, id, value, f.keyID)
			if err := f.seeder.DeleteSecret(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			return "{secret-id: " + id + "}"
		}},
		{name: "version id without the stage", want: "does not hold the version-stage", keyInSpec: true, setup: func(t *testing.T, f *fixture, id string) string {
			v1 := mustSecret(t, f, id, value, f.keyID)
			if _, err := f.seeder.PutSecretValue(context.Background(), id, `{"user":"admin-xyz","other":"hunter2-two"}`); err != nil {
				t.Fatal(err)
			}
			return "{secret-id: " + id + ", version-id: " + v1 + ", version-stage: AWSCURRENT}"
		}},
	}
	for _, tc := range tests {
		for _, action := range []bool{false, true} {
			t.Run(tc.name+"/"+modeName[action], func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				id := strings.TrimPrefix(f.prefix, "/") + "/bad"
				entry := tc.setup(t, f, id)
				spec := "secrets:\n  GOOD: " + f.put(t, "/good", "good-xyz") + "\n  BAD: " + entry + "\n"
				if tc.keyInSpec {
					spec = "kms-key-id: " + f.keyAlias + "\n" + spec
				}
				writeFiles(t, f.workspace, map[string]string{specPath: spec})
				got, r := runIn(t, f, action, map[string]string{})
				line := map[bool]string{false: ":3:3: ", true: ":4:3: "}[tc.keyInSpec]
				if got.code != 1 || !strings.Contains(got.stdout+got.stderr, specPath+line) || !strings.Contains(got.stdout+got.stderr, tc.want) {
					t.Errorf("exit %d, want 1 with %q at %s\n%s%s", got.code, tc.want, line, got.stdout, got.stderr)
				}
				checker := leakcheck.New("admin-xyz", "hunter2-xyz", "hunter2-two")
				checker.AllowMask(value, "hunter2-xyz plain") // read, so masked in an Action run
				texts := map[string]string{"stdout": got.stdout, "stderr": got.stderr}
				if r != nil {
					texts["summary"], texts["outputs"] = r.read(t, "summary"), r.read(t, "output")
				}
				checker.AssertNone(t, texts, f.workspace)
			})
		}
	}
}

// mustSecret creates a secret and returns its first version id.
func mustSecret(t *testing.T, f *fixture, id, value, keyID string) string {
	t.Helper()
	_, v, err := f.seeder.CreateSecret(context.Background(), id, value, keyID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSecretsManagerTampered: verify refuses an entry that carries another
// secret's ciphertext, or another secret's whole entry, at its spec line.
func TestSecretsManagerTampered(t *testing.T) {
	t.Parallel()
	for _, tamper := range []string{"ciphertext", "entry"} {
		t.Run(tamper, func(t *testing.T) {
			t.Parallel()
			b := newSMBed(t)
			bakeAndEdit(t, b.fixture, string(b.readSpec(t)), func(file baked.File) {
				db := file["DB"]
				if tamper == "ciphertext" {
					db.Ciphertext = file["API"].Ciphertext
				} else {
					db = file["API"]
				}
				file["DB"] = db
			})
			got := b.run(t, nil, "verify", "--file", baked.DefaultName)
			want := map[string]string{"ciphertext": "does not decrypt, with its context, to the value Secrets Manager holds", "entry": "but the spec declares secret-id"}[tamper]
			if got.code != 1 || !strings.Contains(got.stderr, specPath+":3:3: ") || !strings.Contains(got.stderr, want) {
				t.Errorf("exit %d, stderr:\n%s\nwant DB refused at its line: %s", got.code, got.stderr, want)
			}
		})
	}
}

// TestSecretsManagerRotation: after Secrets Manager rotates a secret, drift
// names it stale and the summary shows its rotation dates; max-age judges
// the baked version's CreatedDate.
func TestSecretsManagerRotation(t *testing.T) {
	t.Parallel()
	b := newSMBed(t)
	if got := b.run(t, nil); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	if _, err := b.seeder.RotateSecret(context.Background(), b.apiID, "arn:aws:lambda:"+region+":"+testbed.Account+":function:rotate", 30); err != nil {
		t.Fatal(err)
	}
	got, _, summary, _ := runDriftCommand(t, b.fixture, true, nil)
	if !strings.Contains(got.stdout, `"API"`) || !strings.Contains(unescapeMarkdown(summary), "stage AWSCURRENT moved; last rotated ") || !strings.Contains(summary, "next rotation ") {
		t.Errorf("drift after a rotation:\n%s\nsummary:\n%s", got.stdout, summary)
	}

	spec := strings.Replace(string(b.readSpec(t)), "kms-key-id:", "max-age: 1d\nkms-key-id:", 1)
	writeFiles(t, b.workspace, map[string]string{specPath: spec})
	later := []string{testNowEnv + "=" + time.Now().Add(72*time.Hour).UTC().Format(time.RFC3339)}
	got = b.run(t, later)
	if got.code != 1 || !strings.Contains(got.stderr, `secret "DB" (Secrets Manager secret "`+b.dbID+`"): it was set on `) {
		t.Errorf("exit %d, stderr:\n%s\nwant DB older than its max-age, by its version's CreatedDate", got.code, got.stderr)
	}
}

// TestSecretsManagerCallsUnderQuota bakes 50 Secrets Manager secrets behind
// Secrets Manager's documented request quotas: the run is at the call floor
// (one GetSecretValue and one Encrypt per secret, one Decrypt verifying it)
// and nothing is throttled.
func TestSecretsManagerCallsUnderQuota(t *testing.T) {
	t.Parallel()
	const n = 50
	f := newFixture(t)
	var spec strings.Builder
	spec.WriteString("kms-key-id: " + f.keyAlias + "\nsecrets:\n")
	for i := range n {
		id := fmt.Sprintf("%s/s%02d", strings.TrimPrefix(f.prefix, "/"), i)
		mustSecret(t, f, id, fmt.Sprintf("value-%02d", i), f.keyID)
		fmt.Fprintf(&spec, "  S%02d: {secret-id: %s}\n", i, id)
	}
	writeFiles(t, f.workspace, map[string]string{specPath: spec.String()})
	quota := testbed.NewQuota(0, testbed.SecretsManagerQuotas()...)
	f.proxy.SetFault(quota.Fault)
	before := f.proxy.CallsTotal()
	if got := f.run(t, nil); got.code != 0 {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	if calls, want := delta(before, f.proxy.CallsTotal()), map[string]int{"secretsmanager:GetSecretValue": n, "kms:Encrypt": n, "kms:Decrypt": n}; !equalCounts(calls, want) {
		t.Errorf("calls = %v, want %v", calls, want)
	}
	if throttled := quota.Throttled("secretsmanager:GetSecretValue"); throttled != 0 {
		t.Errorf("%d GetSecretValue calls throttled, want 0", throttled)
	}
}

// TestSecretsManagerAccountGuard: with allowed-account-ids and no
// role-to-assume, a secret of another account is refused by the ARN
// DescribeSecret answers, before its value is read or any KMS call.
func TestSecretsManagerAccountGuard(t *testing.T) {
	t.Parallel()
	b := newSMBed(t)
	writeFiles(t, b.workspace, map[string]string{specPath: "kms-key-id: " + b.keyAlias + "\nsecrets:\n  DB: {secret-id: " + b.dbID + ", json-key: password}\n"})
	got := b.run(t, nil, "--allowed-account-ids", "111122223333")
	if got.code != 1 || !strings.Contains(got.stderr, "of the secret ARNs Secrets Manager described is not in allowed-account-ids") {
		t.Errorf("exit %d, stderr:\n%s\nwant the secret's account refused", got.code, got.stderr)
	}
	calls := b.proxy.CallsTotal()
	if calls["secretsmanager:GetSecretValue"]+calls["kms:Encrypt"]+calls["kms:Decrypt"] != 0 {
		t.Errorf("calls = %v, want no value read and no KMS call", calls)
	}
}

// TestSecretsManagerAccountGuardWithRole: with role-to-assume and
// allowed-account-ids, an entry re-addressed to a secret of another account
// is still refused by verify, before any call; a parameter needs no such
// check there, being read by name in the role's account.
func TestSecretsManagerAccountGuardWithRole(t *testing.T) {
	t.Parallel()
	b := newSMBed(t)
	b.mustRun(t, nil)
	data := strings.ReplaceAll(string(b.readOutput(t, baked.DefaultName)), ":"+testbed.Account+":secret:", ":999999999999:secret:")
	writeFiles(t, b.workspace, map[string]string{baked.DefaultName: data})
	before := b.proxy.CallsTotal()
	r := newRunner(t, b.fixture, map[string]string{"role-to-assume": "arn:aws:iam::123456789012:role/deploy", "allowed-account-ids": listWithEmulatorAccount, "command": "verify", "file": baked.DefaultName})
	got := b.run(t, append(r.env, oidcEndpoint(t, "sts.amazonaws.com")...))
	if got.code != 1 || !strings.Contains(got.stdout, "account 999999999999") {
		t.Errorf("exit %d, want 1 and account 999999999999 refused:\n%s%s", got.code, got.stdout, got.stderr)
	}
	if calls := delta(before, b.proxy.CallsTotal()); len(calls) != 0 {
		t.Errorf("calls %v, want none", calls)
	}
}

// TestSecretsManagerPartialARN: a secret-id that is a partial ARN (the ARN
// without Secrets Manager's "-" and six characters) bakes, verifies and
// drifts like the full one.
func TestSecretsManagerPartialARN(t *testing.T) {
	t.Parallel()
	b := newSMBed(t)
	partial := b.dbARN[:len(b.dbARN)-7]
	writeFiles(t, b.workspace, map[string]string{specPath: "kms-key-id: " + b.keyAlias + "\nsecrets:\n  DB: {secret-id: '" + partial + "', json-key: password}\n"})
	b.mustRun(t, nil)
	for _, command := range []string{"verify", "drift"} {
		if got := b.run(t, nil, command, "--file", baked.DefaultName); got.code != 0 {
			t.Errorf("%s: exit %d:\n%s", command, got.code, got.stderr)
		}
	}
}

// TestSecretsManagerValueLimits: a value longer than KMS Encrypt takes and
// an empty one (a json-key holding null) are each refused at their spec
// line, both reported, before any Encrypt, and never quoted.
func TestSecretsManagerValueLimits(t *testing.T) {
	t.Parallel()
	b := newSMBed(t)
	ctx := context.Background()
	big, null := b.dbID+"-big", b.dbID+"-null"
	if _, _, err := b.seeder.CreateSecret(ctx, big, "LEAK"+strings.Repeat("x", 4093), b.keyID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.seeder.CreateSecret(ctx, null, `{"password":null,"user":"LEAK"}`, b.keyID); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, b.workspace, map[string]string{specPath: "kms-key-id: " + b.keyAlias + "\nsecrets:\n  LARGE: {secret-id: " + big + "}\n  EMPTY: {secret-id: " + null + ", json-key: password}\n"})
	got := b.run(t, nil)
	for _, want := range []string{specPath + ":3:3: ", "longer than the 4,096 bytes", specPath + ":4:3: ", "is empty (or JSON null)"} {
		if !strings.Contains(got.stderr, want) {
			t.Errorf("stderr does not hold %q:\n%s", want, got.stderr)
		}
	}
	if got.code != 1 || strings.Contains(got.stdout+got.stderr, "LEAK") || b.proxy.Calls("kms:Encrypt") != 0 {
		t.Errorf("exit %d, %d Encrypt, want 1, none and no value shown:\n%s", got.code, b.proxy.Calls("kms:Encrypt"), got.stderr)
	}
}

// TestSecretsManagerWrongKey: verify requiring another key than the one a
// Secrets Manager entry was sealed under says to bake it again with that
// key, not to re-put an SSM parameter, and looks up no parameter.
func TestSecretsManagerWrongKey(t *testing.T) {
	t.Parallel()
	b := newSMBed(t)
	b.mustRun(t, nil)
	other := "alias" + b.prefix + "-other"
	if _, _, err := b.seeder.CreateKey(context.Background(), other); err != nil {
		t.Fatal(err)
	}
	before := b.proxy.CallsTotal()
	got := b.run(t, nil, "verify", "--file", baked.DefaultName, "--kms-key-id", other)
	if got.code != 1 || !strings.Contains(got.stderr, `secret "DB"`) || !strings.Contains(got.stderr, "sealed under another key than the required "+other+"; bake the secret again with kms-key-id "+other) {
		t.Errorf("exit %d, want 1 and DB's wrong key:\n%s", got.code, got.stderr)
	}
	if n := strings.Count(got.stderr, "re-put the parameter"); n != 1 {
		t.Errorf("%d SSM advice(s), want 1, for the SSM parameter alone:\n%s", n, got.stderr)
	}
	if n := delta(before, b.proxy.CallsTotal())["ssm:DescribeParameters"]; n != 1 {
		t.Errorf("%d DescribeParameters, want 1, for the SSM parameter alone", n)
	}
}
