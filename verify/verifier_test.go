package verify

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/leakcheck"
	"github.com/org/secret-baker/internal/testing/testbed"
	"github.com/org/secret-baker/rules"
)

const region = "eu-west-1"

// fixture is one test's view of the shared emulator: its own proxy, counting only what the
// Verifier sends, and its own name prefix.
type fixture struct {
	proxy  *testbed.Proxy
	seed   *testbed.Seeder
	ssm    *ssm.Client // straight to the emulator, uncounted
	admin  *kms.Client // straight to the emulator, uncounted
	kms    *kms.Client // through the proxy, without retries so that counts are exact
	lookup *ssm.Client // through the proxy, without retries, for WithSSM
	prefix string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	direct := emu.AWSConfig(region)
	return &fixture{
		proxy:  p,
		seed:   emu.Seeder(region),
		ssm:    ssm.NewFromConfig(direct),
		admin:  kms.NewFromConfig(direct),
		kms:    kms.NewFromConfig(p.AWSConfig(region), func(o *kms.Options) { o.RetryMaxAttempts = 1 }),
		lookup: ssm.NewFromConfig(p.AWSConfig(region), func(o *ssm.Options) { o.RetryMaxAttempts = 1 }),
		prefix: testbed.UniquePrefix(t),
	}
}

// key creates a customer managed key with the alias "alias<prefix>/<name>".
func (f *fixture) key(t *testing.T, name string) (alias, id, arn string) {
	t.Helper()
	alias = "alias" + f.prefix + "/" + name
	id, arn, err := f.seed.CreateKey(context.Background(), alias)
	if err != nil {
		t.Fatal(err)
	}
	return alias, id, arn
}

// entry stores value as the SecureString <prefix>/<name> under keyID ("" for the AWS managed
// key) and bakes it.
func (f *fixture) entry(t *testing.T, name, value, keyID string) baked.Entry {
	t.Helper()
	ctx := context.Background()
	param := f.prefix + "/" + name
	if _, err := f.seed.PutSecureString(ctx, param, value, keyID); err != nil {
		t.Fatal(err)
	}
	file, err := bake.New(f.ssm).Bake(ctx, []bake.Secret{{Name: name, Parameter: param}})
	if err != nil {
		t.Fatal(err)
	}
	return file[name]
}

// checkCalls checks that the Verifier made exactly decrypts Decrypt and describes
// DescribeParameters calls, and no other.
func (f *fixture) checkCalls(t *testing.T, decrypts, describes int) {
	t.Helper()
	want := map[string]int{}
	if decrypts > 0 {
		want["kms:Decrypt"] = decrypts
	}
	if describes > 0 {
		want["ssm:DescribeParameters"] = describes
	}
	if got := f.proxy.CallsTotal(); !maps.Equal(got, want) {
		t.Errorf("calls = %v, want %v", got, want)
	}
}

// leakValue returns a distinctive secret value.
func leakValue(tag string) string {
	return leakMarker + "-" + tag + "-" + rand.Text()
}

// secretForms returns the strings that would betray value: itself and its base64 encodings.
func secretForms(value string) []string {
	return []string{
		value,
		base64.StdEncoding.EncodeToString([]byte(value)),
		base64.RawStdEncoding.EncodeToString([]byte(value)),
		base64.URLEncoding.EncodeToString([]byte(value)),
	}
}

// masks records the values given to the mask callback.
type masks struct {
	mu     sync.Mutex
	values []string
}

func (m *masks) add(v string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.values = append(m.values, v)
}

// kmsError is a fault that answers every Decrypt with a KMS error.
func kmsError(status int, code, message string) testbed.Fault {
	return apiError("kms:Decrypt", status, code, message)
}

// apiError is a fault that answers every request for op with an AWS JSON error.
func apiError(op string, status int, code, message string) testbed.Fault {
	return func(got string, w http.ResponseWriter, _ *http.Request) bool {
		if got != op {
			return false
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":%q,"message":%q}`, code, message)
		return true
	}
}

// tamper flips the last byte of a base64 ciphertext.
func tamper(t *testing.T, ciphertext string) string {
	t.Helper()
	blob, err := base64.StdEncoding.DecodeString(ciphertext)
	if err != nil {
		t.Fatal(err)
	}
	blob[len(blob)-1] ^= 0xff
	return base64.StdEncoding.EncodeToString(blob)
}

const credentialsSchema = `{
	"type": "object",
	"required": ["user", "password"],
	"properties": {
		"user": {"type": "string", "pattern": "^[a-z]+$"},
		"password": {"type": "string", "minLength": 12},
		"port": {"type": "integer", "maximum": 65535},
		"email": {"type": "string", "format": "email"},
		"mode": {"enum": ["ro", "rw"]},
		"tier": {"const": "gold"}
	},
	"additionalProperties": false
}`

func TestVerifyScenarios(t *testing.T) {
	t.Parallel()
	const validValue = `{"user": "app", "password": "correct-horse-battery", "port": 5432}`
	tests := []struct {
		name     string
		value    string
		key      string // "cmk", "other" (customer managed), "disabled", or "" for the AWS managed key
		regex    string
		schema   string
		required bool                 // require the "cmk" key
		noSSM    bool                 // verify without WithSSM
		corrupt  func(e *baked.Entry) // alters the baked entry
		fault    testbed.Fault

		wantChecks    []string
		wantReasons   []error
		wantMessages  []string // substrings of the findings' messages, after placeholder expansion
		wantLocations []string // instance|keyword of schema findings
		wantDecrypts  int
		wantDescribes int // DescribeParameters calls
		wantMasked    bool
	}{
		{
			name: "valid", value: validValue, key: "cmk", regex: `^\{`, schema: credentialsSchema,
			wantChecks:   []string{CheckDecrypt, CheckKey, CheckRegex, CheckSchema},
			wantDecrypts: 1, wantMasked: true,
		},
		{
			name: "regex mismatch", value: leakValue("regex"), key: "cmk", regex: `^tok_[0-9a-f]{32}$`,
			wantChecks:   []string{CheckDecrypt, CheckKey, CheckRegex},
			wantReasons:  []error{rules.ErrNoMatch},
			wantMessages: []string{"does not match `^tok_[0-9a-f]{32}$`"},
			wantDecrypts: 1, wantMasked: true,
		},
		{
			name: "schema violations", key: "cmk", schema: credentialsSchema,
			value: `{"user": "LEAK-Upper", "port": 99999123, "email": "LEAK-mail", "mode": "LEAK-mode", "tier": "LEAK-tier",
				"LEAK-extra": "LEAK-x"}`,
			wantChecks:  []string{CheckDecrypt, CheckKey, CheckSchema},
			wantReasons: []error{rules.ErrSchema, rules.ErrSchema, rules.ErrSchema, rules.ErrSchema, rules.ErrSchema, rules.ErrSchema, rules.ErrSchema},
			wantMessages: []string{
				`(root): has 1 property not allowed by additionalProperties`, `(root): missing required property "password"`,
				"/email: is not a valid email", "/mode: is not one of the 2 values allowed by enum", "/port: is greater than the maximum 65535",
				"/tier: is not the value required by const", "/user: does not match pattern `^[a-z]+$`",
			},
			wantLocations: []string{
				"|/additionalProperties", "|/required", "/email|/properties/email/format", "/mode|/properties/mode/enum",
				"/port|/properties/port/maximum", "/tier|/properties/tier/const", "/user|/properties/user/pattern",
			},
			wantDecrypts: 1, wantMasked: true,
		},
		{
			name: "not JSON", value: leakValue("json"), key: "cmk", schema: credentialsSchema,
			wantChecks:   []string{CheckDecrypt, CheckKey, CheckSchema},
			wantReasons:  []error{rules.ErrNotJSON},
			wantMessages: []string{"not valid JSON: syntax error at byte 1"},
			wantDecrypts: 1, wantMasked: true,
		},
		{
			name: "tampered ciphertext", value: leakValue("tampered"), key: "cmk", regex: `x`,
			corrupt:      func(e *baked.Entry) { e.Ciphertext = tamper(t, e.Ciphertext) },
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrInvalidCiphertext},
			wantMessages: []string{"InvalidCiphertextException", "the ciphertext was altered", "encryption context does not match"},
			wantDecrypts: 1,
		},
		{
			name: "arn altered", value: leakValue("arn"), key: "cmk",
			corrupt:      func(e *baked.Entry) { e.ARN += "-renamed" },
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrInvalidCiphertext},
			wantMessages: []string{"PARAMETER_ARN={arn}-renamed", "the ciphertext was altered", "not the parameter it was encrypted for"},
			wantDecrypts: 1,
		},
		{
			name: "ciphertext not base64", value: leakValue("base64"), key: "cmk",
			corrupt:      func(e *baked.Entry) { e.Ciphertext = "AQID*" + e.Ciphertext },
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrNotBase64},
			wantMessages: []string{"not valid base64 (at byte 4)"},
		},
		{
			// KMS refuses a direct Decrypt under it; DescribeParameters names the key.
			name: "AWS managed key", value: leakValue("managed"), key: "", regex: `^LEAK-`,
			wantChecks:   []string{CheckDecrypt, CheckKey},
			wantReasons:  []error{ErrAWSManagedKey},
			wantMessages: []string{"encrypted with the AWS managed key alias/aws/ssm:", "Lambda function cannot call kms:Decrypt", "--key-id"},
			wantDecrypts: 1, wantDescribes: 1,
		},
		{
			name: "AWS managed key without an SSM client", value: leakValue("managed-nossm"), key: "", noSSM: true,
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrAccessDenied},
			wantMessages: []string{"KMS denied kms:Decrypt (AccessDeniedException: User: ", "is not authorized to perform: kms:Decrypt", "alias/aws/ssm, which only SSM itself may use"},
			wantDecrypts: 1,
		},
		{
			name: "AWS managed key, lookup denied", value: leakValue("managed-denied"), key: "",
			fault:        apiError("ssm:DescribeParameters", http.StatusBadRequest, "AccessDeniedException", "not authorized to perform: ssm:DescribeParameters"),
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrAccessDenied},
			wantMessages: []string{"alias/aws/ssm, which only SSM itself may use", "(ssm:DescribeParameters, which names the parameter's key, failed: AccessDeniedException)"},
			wantDecrypts: 1, wantDescribes: 1,
		},
		{
			name: "disabled key", value: leakValue("disabled"), key: "disabled",
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrKeyUnusable},
			wantMessages: []string{"is disabled", "DisabledException"},
			wantDecrypts: 1,
		},
		{
			name: "access denied", value: leakValue("denied"), key: "cmk",
			fault:        kmsError(http.StatusBadRequest, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: kms:Decrypt"),
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrAccessDenied},
			wantMessages: []string{"KMS denied kms:Decrypt (AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized", "under the parameter's key {cmkID}"},
			wantDecrypts: 1, wantDescribes: 1,
		},
		{
			// KMS refuses the required key (IncorrectKeyException) and decrypts nothing.
			name: "required key mismatch", value: leakValue("mismatch"), key: "other", required: true, regex: `^tok_`,
			wantChecks:   []string{CheckDecrypt, CheckKey},
			wantReasons:  []error{ErrWrongKey},
			wantMessages: []string{"encrypted with key {otherID}, required {cmkAlias}; re-put the parameter with --key-id of the required key"},
			wantDecrypts: 1, wantDescribes: 1,
		},
		{
			name: "required key mismatch without an SSM client", value: leakValue("mismatch-nossm"), key: "other", required: true, noSSM: true,
			wantChecks:   []string{CheckDecrypt, CheckKey},
			wantReasons:  []error{ErrWrongKey},
			wantMessages: []string{"encrypted with another key than the required {cmkAlias}"},
			wantDecrypts: 1,
		},
		{
			name: "required key mismatch on the AWS managed key", value: leakValue("mismatch-managed"), key: "", required: true,
			wantChecks:   []string{CheckDecrypt, CheckKey},
			wantReasons:  []error{ErrWrongKey, ErrAWSManagedKey},
			wantMessages: []string{"encrypted with key alias/aws/ssm, required {cmkAlias}", "encrypted with the AWS managed key alias/aws/ssm"},
			wantDecrypts: 1, wantDescribes: 1,
		},
		{
			name: "required key mismatch and tampered", value: leakValue("mismatch-tampered"), key: "other", required: true,
			corrupt:      func(e *baked.Entry) { e.Ciphertext = tamper(t, e.Ciphertext) },
			wantChecks:   []string{CheckDecrypt},
			wantReasons:  []error{ErrInvalidCiphertext},
			wantDecrypts: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			f := newFixture(t)
			cmkAlias, cmkID, _ := f.key(t, "cmk")
			_, otherID, _ := f.key(t, "other")
			keyIDs := map[string]string{"cmk": cmkID, "other": otherID, "": ""}
			if tt.key == "disabled" {
				_, id, _ := f.key(t, "disabled")
				keyIDs["disabled"] = id
			}
			e := f.entry(t, "SECRET", tt.value, keyIDs[tt.key])
			if tt.key == "disabled" {
				if _, err := f.admin.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(keyIDs["disabled"])}); err != nil {
					t.Fatal(err)
				}
			}
			paramARN := e.ARN
			if tt.corrupt != nil {
				tt.corrupt(&e)
			}
			f.proxy.SetFault(tt.fault)

			var rs rules.Set
			if tt.regex != "" {
				rs.Regex = mustRegex(t, tt.regex)
			}
			if tt.schema != "" {
				rs.Schema = mustSchema(t, tt.schema)
			}
			var masked masks
			opts := []Option{WithMask(masked.add)}
			if !tt.noSSM {
				opts = append(opts, WithSSM(f.lookup))
			}
			if tt.required {
				opts = append(opts, WithRequiredKey(cmkAlias))
			}
			results, err := New(f.kms, opts...).Verify(ctx, []Secret{{Name: "SECRET", Entry: e, Rules: rs}})
			leakcheck.AssertNotRendered(t, results, append(secretForms(tt.value), leakMarker, "99999123")...)
			leakcheck.AssertNotRendered(t, err, append(secretForms(tt.value), leakMarker)...)
			if err != nil {
				t.Fatalf("Verify() error = %v", err)
			}
			if len(results) != 1 {
				t.Fatalf("got %d results, want 1", len(results))
			}
			got := results[0]
			if got.Name != "SECRET" || got.Parameter != e.Parameter || got.Version != e.Version {
				t.Errorf("result names %q %q %d, want SECRET %q %d", got.Name, got.Parameter, got.Version, e.Parameter, e.Version)
			}
			if !slices.Equal(got.Checks, tt.wantChecks) {
				t.Errorf("Checks = %q, want %q", got.Checks, tt.wantChecks)
			}
			if got.OK() != (len(tt.wantReasons) == 0) {
				t.Errorf("OK() = %v with findings %+v", got.OK(), got.Findings)
			}
			if len(got.Findings) != len(tt.wantReasons) {
				t.Fatalf("findings = %+v, want reasons %v", got.Findings, tt.wantReasons)
			}
			var messages []string
			var locations []string
			for i, finding := range got.Findings {
				if !errors.Is(finding.Reason, tt.wantReasons[i]) {
					t.Errorf("finding %d reason = %v, want %v", i, finding.Reason, tt.wantReasons[i])
				}
				messages = append(messages, finding.Message)
				if finding.Check == CheckSchema && finding.Reason == rules.ErrSchema {
					locations = append(locations, finding.InstanceLocation+"|"+finding.KeywordLocation)
				}
			}
			expand := strings.NewReplacer("{arn}", paramARN, "{cmkID}", cmkID, "{cmkAlias}", cmkAlias, "{otherID}", otherID)
			all := strings.Join(messages, "\n")
			for _, want := range tt.wantMessages {
				if want = expand.Replace(want); !strings.Contains(all, want) {
					t.Errorf("messages do not contain %q:\n%s", want, all)
				}
			}
			if !slices.Equal(locations, tt.wantLocations) {
				t.Errorf("schema locations = %q, want %q", locations, tt.wantLocations)
			}
			if tt.wantMasked {
				if got.KeyARN == "" {
					t.Error("KeyARN is empty for a decrypted secret")
				}
				if !slices.Equal(masked.values, []string{tt.value}) {
					t.Errorf("mask got %d values, want the secret once", len(masked.values))
				}
			} else if len(masked.values) != 0 || got.KeyARN != "" {
				t.Errorf("undecrypted secret: mask got %d values, KeyARN %q", len(masked.values), got.KeyARN)
			}
			f.checkCalls(t, tt.wantDecrypts, tt.wantDescribes)
		})
	}
}

func TestVerifyChecksAllSecrets(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newFixture(t)
	_, cmkID, cmkARN := f.key(t, "cmk")
	_, otherID, otherARN := f.key(t, "other")
	schema := mustSchema(t, credentialsSchema)

	type secret struct {
		value      string
		keyID      string
		rules      rules.Set
		corrupt    func(e *baked.Entry)
		wantKey    string
		wantReason error // nil: passes
	}
	secrets := map[string]secret{
		"A_VALID":     {value: `{"user": "app", "password": "correct-horse-battery"}`, keyID: cmkID, rules: rules.Set{Schema: schema}, wantKey: cmkARN},
		"B_REGEX":     {value: leakValue("b"), keyID: otherID, rules: rules.Set{Regex: mustRegex(t, `^\d+$`)}, wantKey: otherARN, wantReason: rules.ErrNoMatch},
		"C_SCHEMA":    {value: `{"user": "LEAK-C", "password": "LEAK-c"}`, keyID: cmkID, rules: rules.Set{Schema: schema}, wantKey: cmkARN, wantReason: rules.ErrSchema},
		"D_TAMPERED":  {value: leakValue("d"), keyID: otherID, corrupt: func(e *baked.Entry) { e.Ciphertext = tamper(t, e.Ciphertext) }, wantReason: ErrInvalidCiphertext},
		"E_MANAGED":   {value: leakValue("e"), wantReason: ErrAWSManagedKey},
		"F_NOTBASE64": {value: leakValue("f"), keyID: cmkID, corrupt: func(e *baked.Entry) { e.Ciphertext = "!" }, wantReason: ErrNotBase64},
		"G_VALID":     {value: "plain-token", keyID: otherID, rules: rules.Set{Regex: mustRegex(t, `^plain-`)}, wantKey: otherARN},
	}
	names := []string{"G_VALID", "C_SCHEMA", "A_VALID", "F_NOTBASE64", "B_REGEX", "E_MANAGED", "D_TAMPERED"}
	var input []Secret
	var forbidden []string
	for _, name := range names {
		s := secrets[name]
		e := f.entry(t, name, s.value, s.keyID)
		if s.corrupt != nil {
			s.corrupt(&e)
		}
		input = append(input, Secret{Name: name, Entry: e, Rules: s.rules})
		if s.wantReason != nil {
			forbidden = append(forbidden, secretForms(s.value)...)
		}
	}

	var masked masks
	var progress []string
	results, err := New(f.kms, WithSSM(f.lookup), WithConcurrency(3), WithMask(masked.add), WithProgress(func(done, total int) {
		progress = append(progress, fmt.Sprintf("%d/%d", done, total))
	})).Verify(ctx, input)
	leakcheck.AssertNotRendered(t, results, append(forbidden, leakMarker)...)
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	if len(results) != len(names) {
		t.Fatalf("got %d results, want %d", len(results), len(names))
	}
	for i, got := range results {
		want := secrets[names[i]]
		if got.Name != names[i] {
			t.Errorf("result %d is %s, want %s (input order)", i, got.Name, names[i])
			continue
		}
		if want.wantKey != "" && got.KeyARN != want.wantKey {
			t.Errorf("%s: KeyARN = %s, want %s", got.Name, got.KeyARN, want.wantKey)
		}
		switch {
		case want.wantReason == nil && !got.OK():
			t.Errorf("%s: findings %+v, want none", got.Name, got.Findings)
		case want.wantReason != nil && (len(got.Findings) == 0 || !errors.Is(got.Findings[0].Reason, want.wantReason)):
			t.Errorf("%s: findings %+v, want %v", got.Name, got.Findings, want.wantReason)
		}
	}
	wantProgress := []string{"1/7", "2/7", "3/7", "4/7", "5/7", "6/7", "7/7"}
	if !slices.Equal(progress, wantProgress) {
		t.Errorf("progress = %q, want %q", progress, wantProgress)
	}
	if len(masked.values) != 4 {
		t.Errorf("mask got %d values, want one per decrypted secret (4)", len(masked.values))
	}
	// One Decrypt per base64 entry; one DescribeParameters for the refused E_MANAGED.
	f.checkCalls(t, 6, 1)
}

func TestVerifyCleanRunCalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, id1, arn1 := f.key(t, "one")
	_, id2, arn2 := f.key(t, "two")
	var input []Secret
	want := map[string]string{}
	for i := range 10 {
		name, id, arn := fmt.Sprintf("S%d", i), id1, arn1
		if i%3 == 0 {
			id, arn = id2, arn2
		}
		input = append(input, Secret{Name: name, Entry: f.entry(t, name, "value-"+name, id), Rules: rules.Set{Regex: mustRegex(t, `^value-S\d$`)}})
		want[name] = arn
	}
	results, err := New(f.kms, WithSSM(f.lookup), WithConcurrency(4)).Verify(context.Background(), input)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if !r.OK() || r.KeyARN != want[r.Name] {
			t.Errorf("%s: OK %v, KeyARN %s, findings %+v; want OK with key %s", r.Name, r.OK(), r.KeyARN, r.Findings, want[r.Name])
		}
	}
	f.checkCalls(t, 10, 0)
}

// TestVerifyExplainsInBatches checks that refused secrets cost one DescribeParameters call per
// 50 of them, and that each gets its own key's finding.
func TestVerifyExplainsInBatches(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, otherID, _ := f.key(t, "other")
	cmkAlias, cmkID, cmkARN := f.key(t, "cmk")
	const n = 78 // 52 refused: two DescribeParameters calls, of 50 names and 2
	var input []Secret
	for i := range n {
		name, key := fmt.Sprintf("S%02d", i), ""
		switch i % 3 {
		case 1:
			key = otherID
		case 2:
			key = cmkID
		}
		input = append(input, Secret{Name: name, Entry: f.entry(t, name, "value", key)})
	}
	results, err := New(f.kms, WithSSM(f.lookup), WithRequiredKey(cmkAlias), WithConcurrency(8)).Verify(context.Background(), input)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		var want []error
		switch i % 3 {
		case 0:
			want = []error{ErrWrongKey, ErrAWSManagedKey}
		case 1:
			want = []error{ErrWrongKey}
		}
		var got []error
		for _, f := range r.Findings {
			got = append(got, f.Reason)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: findings %+v, want reasons %v", r.Name, r.Findings, want)
		}
		if i%3 == 1 && !strings.Contains(r.Findings[0].Message, "encrypted with key "+otherID) {
			t.Errorf("%s: %q does not name its key %s", r.Name, r.Findings[0].Message, otherID)
		}
		if i%3 == 2 && r.KeyARN != cmkARN {
			t.Errorf("%s: KeyARN %q, want %s", r.Name, r.KeyARN, cmkARN)
		}
	}
	f.checkCalls(t, n, 2)
}

func TestVerifyRequiredKeyForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		form func(alias, id, arn string) string
	}{
		{name: "alias", form: func(alias, _, _ string) string { return alias }},
		{name: "alias ARN", form: func(alias, _, arn string) string {
			return strings.Split(arn, ":key/")[0] + ":" + alias
		}},
		{name: "key id", form: func(_, id, _ string) string { return id }},
		{name: "key ARN", form: func(_, _, arn string) string { return arn }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			alias, id, arn := f.key(t, "required")
			var input []Secret
			for _, name := range []string{"A", "B", "C"} {
				input = append(input, Secret{Name: name, Entry: f.entry(t, name, "value", id)})
			}
			results, err := New(f.kms, WithSSM(f.lookup), WithRequiredKey(tt.form(alias, id, arn))).Verify(context.Background(), input)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				if !r.OK() || r.KeyARN != arn {
					t.Errorf("%s: OK %v, KeyARN %s, findings %+v", r.Name, r.OK(), r.KeyARN, r.Findings)
				}
			}
			f.checkCalls(t, 3, 0)
		})
	}
}

func TestVerifyRequiredKeyRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		key          string
		wantErr      string
		wantDecrypts int // the AWS managed alias is refused before any call; a missing key at the first Decrypt
	}{
		{name: "AWS managed", key: "alias/aws/ssm", wantErr: "unusable required key: alias/aws/ssm is an AWS managed key"},
		{name: "AWS managed alias ARN", key: "arn:aws:kms:" + region + ":123456789012:alias/aws/ssm", wantErr: "unusable required key: arn:aws:kms:" + region + ":123456789012:alias/aws/ssm is an AWS managed key"},
		{name: "missing", key: "alias/t/verify-no-such-key", wantErr: "unusable required key: key alias/t/verify-no-such-key not found (NotFoundException: ", wantDecrypts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			_, id, _ := f.key(t, "cmk")
			input := []Secret{{Name: "A", Entry: f.entry(t, "A", "value", id)}}
			_, err := New(f.kms, WithSSM(f.lookup), WithRequiredKey(tt.key)).Verify(context.Background(), input)
			if !errors.Is(err, ErrRequiredKey) || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Errorf("Verify() error = %v, want %q (ErrRequiredKey)", err, tt.wantErr)
			}
			f.checkCalls(t, tt.wantDecrypts, 0)
		})
	}
}

func TestVerifyErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		cancel bool
		fault  testbed.Fault
		want   func(error) bool
	}{
		{
			name: "cancelled", cancel: true,
			want: func(err error) bool { return errors.Is(err, context.Canceled) },
		},
		{
			name:  "KMS failure",
			fault: kmsError(http.StatusInternalServerError, "KMSInternalException", "internal error"),
			want: func(err error) bool {
				var internal *types.KMSInternalException
				return errors.As(err, &internal) && strings.HasPrefix(err.Error(), `failed to verify secret "A": operation error KMS: Decrypt`) &&
					strings.Count(err.Error(), "failed to") == 1
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			value := leakValue("errors")
			input := []Secret{{Name: "A", Entry: f.entry(t, "A", value, "")}}
			f.proxy.SetFault(tt.fault)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			results, err := New(f.kms).Verify(ctx, input)
			if results != nil || !tt.want(err) {
				t.Errorf("Verify() = %+v, %v", results, err)
			}
			leakcheck.AssertNotRendered(t, err, append(secretForms(value), leakMarker)...)
		})
	}
}

// TestVerifyHandsPlaintextsOn: WithPlaintexts sees each decrypted secret's
// plaintext once, and the slice it was given is cleared when Verify returns.
func TestVerifyHandsPlaintextsOn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, id, _ := f.key(t, "one")
	var input []Secret
	for i := range 5 {
		name := fmt.Sprintf("S%d", i)
		input = append(input, Secret{Name: name, Entry: f.entry(t, name, "value-"+name, id)})
	}
	copies := map[string]string{}
	var given [][]byte
	keep := func(name string, plaintext []byte) {
		copies[name] = string(plaintext)
		given = append(given, plaintext)
	}
	if _, err := New(f.kms, WithPlaintexts(keep), WithConcurrency(3)).Verify(context.Background(), input); err != nil {
		t.Fatal(err)
	}
	for _, s := range input {
		if got, want := copies[s.Name], "value-"+s.Name; got != want {
			t.Errorf("%s: plaintext handed on = %q, want %q", s.Name, got, want)
		}
	}
	if len(copies) != len(input) || len(given) != len(input) {
		t.Errorf("handed on %d plaintexts in %d calls, want %d", len(copies), len(given), len(input))
	}
	for _, p := range given {
		if strings.Trim(string(p), "\x00") != "" {
			t.Error("a plaintext handed on was not cleared after Verify")
		}
	}
	f.checkCalls(t, len(input), 0)
}
