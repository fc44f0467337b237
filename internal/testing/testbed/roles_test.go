package testbed_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// sessionName is the fixed session name of the function role proof.
const sessionName = "secret-baker-check"

// secretFixture is what a bake reads: SecureStrings under two keys, and a proxy to call KMS
// through.
type secretFixture struct {
	emu    *testbed.Emulator
	proxy  *testbed.Proxy
	seed   *testbed.Seeder
	prefix string
	value  string // the plaintext of every parameter

	keyID, keyARN string
	param, other  string // ARNs of two parameters under the key
	blob          []byte // ciphertext of param

	otherKeyID, otherKeyARN string
	otherKeyParam           string // ARN of a parameter under the other key
	otherKeyBlob            []byte // its ciphertext
}

func newSecretFixture(t *testing.T) *secretFixture {
	t.Helper()
	ctx := context.Background()
	emu := testbed.Shared(t)
	f := &secretFixture{emu: emu, proxy: emu.Proxy(t), seed: emu.Seeder(region), prefix: testbed.UniquePrefix(t), value: "s3cr3t-value"}
	var err error
	if f.keyID, f.keyARN, err = f.seed.CreateKey(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if f.otherKeyID, f.otherKeyARN, err = f.seed.CreateKey(ctx, ""); err != nil {
		t.Fatal(err)
	}
	db, api, elsewhere := f.prefix+"/db", f.prefix+"/api", f.prefix+"/elsewhere"
	for name, key := range map[string]string{db: f.keyID, api: f.keyID, elsewhere: f.otherKeyID} {
		if _, err := f.seed.PutSecureString(ctx, name, f.value, key); err != nil {
			t.Fatal(err)
		}
	}
	found, _ := getRaw(t, ssm.NewFromConfig(emu.AWSConfig(region)), db, api, elsewhere)
	f.param, f.other, f.otherKeyParam = aws.ToString(found[db].ARN), aws.ToString(found[api].ARN), aws.ToString(found[elsewhere].ARN)
	if f.blob, err = base64.StdEncoding.DecodeString(aws.ToString(found[db].Value)); err != nil {
		t.Fatal(err)
	}
	if f.otherKeyBlob, err = base64.StdEncoding.DecodeString(aws.ToString(found[elsewhere].Value)); err != nil {
		t.Fatal(err)
	}
	return f
}

// role creates a role that the test bed's credentials may assume, with the inline policies
// given, and returns its session's credentials.
func (f *secretFixture) role(t *testing.T, inline map[string]string) aws.Credentials {
	t.Helper()
	ctx := context.Background()
	arn, err := f.seed.CreateRole(ctx, testbed.UniqueRoleName(t), testbed.TrustPolicy(testbed.Account), inline)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := f.seed.AssumeRole(ctx, arn, sessionName)
	if err != nil {
		t.Fatal(err)
	}
	return creds
}

// decryptAs calls KMS Decrypt through the proxy as creds, as a Lambda reader of param would:
// its ciphertext, its encryption context and the key as KeyId.
func (f *secretFixture) decryptAs(creds aws.Credentials, dryRun bool) (*kms.DecryptOutput, error) {
	client := kms.NewFromConfig(f.proxy.AWSConfigAs(region, creds))
	return client.Decrypt(context.Background(), &kms.DecryptInput{
		CiphertextBlob:    f.blob,
		EncryptionContext: map[string]string{"PARAMETER_ARN": f.param},
		KeyId:             &f.keyARN,
		DryRun:            aws.Bool(dryRun),
	})
}

// checkDryRunSucceeded checks that err is KMS's answer to a DryRun that would have succeeded.
func checkDryRunSucceeded(t *testing.T, out *kms.DecryptOutput, err error) {
	t.Helper()
	if out != nil {
		t.Errorf("DryRun Decrypt returned output %+v (plaintext %d bytes), want none", out, len(out.Plaintext))
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "DryRunOperationException" {
		t.Fatalf("DryRun Decrypt: got %v, want DryRunOperationException", err)
	}
	var typed *kmstypes.DryRunOperationException
	if !errors.As(err, &typed) {
		t.Errorf("DryRun Decrypt error %T is not a *types.DryRunOperationException", err)
	}
	checkStatus(t, err, http.StatusPreconditionFailed)
}

// checkAccessDenied checks that err is KMS's AccessDeniedException naming the caller, the key and
// reason.
func checkAccessDenied(t *testing.T, err error, caller, keyARN, reason string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDeniedException" {
		t.Fatalf("Decrypt: got %v, want AccessDeniedException", err)
	}
	want := "User: " + caller + " is not authorized to perform: kms:Decrypt on resource: " + keyARN + " " + reason
	if got := apiErr.ErrorMessage(); got != want {
		t.Errorf("AccessDeniedException message\n got %q\nwant %q", got, want)
	}
	checkStatus(t, err, http.StatusBadRequest)
}

func checkStatus(t *testing.T, err error, want int) {
	t.Helper()
	var respErr *awshttp.ResponseError
	if !errors.As(err, &respErr) || respErr.HTTPStatusCode() != want {
		t.Errorf("HTTP status of %v: want %d", err, want)
	}
}

// callerARN returns the ARN GetCallerIdentity gives creds.
func callerARN(t *testing.T, emu *testbed.Emulator, creds aws.Credentials) string {
	t.Helper()
	out, err := sts.NewFromConfig(emu.AWSConfigAs(region, creds)).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.Arn)
}

const (
	noIdentityAllow = "because no identity-based policy allows the kms:Decrypt action"
	noResourceAllow = "because no resource-based policy allows the kms:Decrypt action"
	identityDeny    = "with an explicit deny in an identity-based policy"
	resourceDeny    = "with an explicit deny in a resource-based policy"
)

// TestDecryptAsAssumedRole checks KMS Decrypt, DryRun or not, by the sessions of roles whose
// identity policies allow or refuse it, as AWS evaluates them.
func TestDecryptAsAssumedRole(t *testing.T) {
	t.Parallel()
	f := newSecretFixture(t)
	condition := func(op, key string, values ...string) map[string]map[string]any {
		return map[string]map[string]any{op: {key: values}}
	}
	allowKMSAll := testbed.Statement{Effect: "Allow", Action: "kms:*", Resource: "*"}
	tests := []struct {
		name     string
		policies map[string]string
		reason   string // "" when allowed
	}{
		{name: "key and parameter", policies: map[string]string{"read": testbed.DecryptPolicy(f.keyARN, f.param)}},
		{name: "key only", policies: map[string]string{"read": testbed.DecryptPolicy(f.keyARN)}},
		{name: "kms star on every resource", policies: map[string]string{"all": testbed.Policy(allowKMSAll)}},
		{name: "action list and wildcard resource", policies: map[string]string{"read": testbed.Policy(testbed.Statement{
			Effect: "Allow", Action: []string{"kms:Encrypt", "kms:Decr?pt"}, Resource: "arn:aws:kms:" + region + ":" + testbed.Account + ":key/*",
		})}},
		{name: "StringLike on the parameter path", policies: map[string]string{"read": testbed.Policy(testbed.Statement{
			Effect: "Allow", Action: "kms:Decrypt", Resource: f.keyARN,
			Condition: condition("StringLike", "kms:EncryptionContext:PARAMETER_ARN", "arn:aws:ssm:*:parameter"+f.prefix+"/*"),
		})}},
		{name: "condition key in another case", policies: map[string]string{"read": testbed.Policy(testbed.Statement{
			Effect: "Allow", Action: "KMS:Decrypt", Resource: f.keyARN,
			Condition: condition("StringEquals", "kms:encryptioncontext:parameter_arn", f.param),
		})}},
		{name: "no policy", reason: noIdentityAllow},
		{name: "another key", policies: map[string]string{"read": testbed.DecryptPolicy(f.otherKeyARN)}, reason: noIdentityAllow},
		{name: "another parameter", policies: map[string]string{"read": testbed.DecryptPolicy(f.keyARN, f.other)}, reason: noIdentityAllow},
		{name: "only through SSM", policies: map[string]string{"read": testbed.Policy(testbed.Statement{
			Effect: "Allow", Action: "kms:Decrypt", Resource: f.keyARN,
			Condition: condition("StringEquals", "kms:ViaService", "ssm."+region+".amazonaws.com"),
		})}, reason: noIdentityAllow},
		{name: "unknown condition operator", policies: map[string]string{"read": testbed.Policy(testbed.Statement{
			Effect: "Allow", Action: "kms:Decrypt", Resource: f.keyARN,
			Condition: condition("ForAnyValue:StringEquals", "kms:EncryptionContextKeys", "PARAMETER_ARN"),
		})}, reason: noIdentityAllow},
		{name: "other actions", policies: map[string]string{"read": testbed.Policy(testbed.Statement{
			Effect: "Allow", Action: []string{"kms:Encrypt", "kms:DescribeKey"}, Resource: "*",
		})}, reason: noIdentityAllow},
		{name: "explicit deny wins", policies: map[string]string{
			"all":  testbed.Policy(allowKMSAll),
			"deny": testbed.Policy(testbed.Statement{Effect: "Deny", Action: "kms:Decrypt", Resource: f.keyARN}),
		}, reason: identityDeny},
		{name: "deny of another parameter", policies: map[string]string{
			"all": testbed.Policy(allowKMSAll),
			"deny": testbed.Policy(testbed.Statement{Effect: "Deny", Action: "kms:*", Resource: "*",
				Condition: condition("StringEquals", "kms:EncryptionContext:PARAMETER_ARN", f.other)}),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			creds := f.role(t, tt.policies)
			caller := callerARN(t, f.emu, creds)
			if !strings.HasPrefix(caller, "arn:aws:sts::"+testbed.Account+":assumed-role/") || !strings.HasSuffix(caller, "/"+sessionName) {
				t.Errorf("GetCallerIdentity as the session = %q, want an assumed-role ARN", caller)
			}

			out, dryErr := f.decryptAs(creds, true)
			realOut, realErr := f.decryptAs(creds, false)
			if tt.reason == "" {
				checkDryRunSucceeded(t, out, dryErr)
				if realErr != nil || string(realOut.Plaintext) != f.value {
					t.Errorf("Decrypt without DryRun: got %v, want the plaintext", realErr)
				}
				return
			}
			if out != nil || realOut != nil {
				t.Errorf("refused Decrypt returned output")
			}
			checkAccessDenied(t, dryErr, caller, f.keyARN, tt.reason)
			checkAccessDenied(t, realErr, caller, f.keyARN, tt.reason)
		})
	}
}

// TestDecryptAsAssumedRoleManagedPolicy checks that attached managed policies count, as inline
// ones do.
func TestDecryptAsAssumedRoleManagedPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newSecretFixture(t)
	name := testbed.UniqueRoleName(t)
	arn, err := f.seed.CreateRole(ctx, name, testbed.TrustPolicy(testbed.CallerARN), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.seed.AttachPolicy(ctx, name, name+"-read", testbed.DecryptPolicy(f.keyARN, f.param)); err != nil {
		t.Fatal(err)
	}
	creds, err := f.seed.AssumeRole(ctx, arn, sessionName)
	if err != nil {
		t.Fatal(err)
	}
	out, err := f.decryptAs(creds, true)
	checkDryRunSucceeded(t, out, err)
	if got := f.proxy.AccessKeys("kms:Decrypt"); len(got) != 1 || got[0] != creds.AccessKeyID {
		t.Errorf("proxy saw kms:Decrypt signed by %q, want the session's key once", got)
	}
}

// TestDecryptChecksBeforeAuthorization checks what a DryRun answers for a request that is wrong
// in other ways: IncorrectKeyException for another KeyId, InvalidCiphertextException for another
// encryption context under a policy that does not look at it; and that the default credentials'
// DryRun succeeds as before.
func TestDecryptChecksBeforeAuthorization(t *testing.T) {
	t.Parallel()
	f := newSecretFixture(t)
	creds := f.role(t, map[string]string{"read": testbed.DecryptPolicy(f.keyARN)})
	client := kms.NewFromConfig(f.proxy.AWSConfigAs(region, creds))
	ctx := context.Background()

	_, err := client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob: f.blob, EncryptionContext: map[string]string{"PARAMETER_ARN": f.param}, KeyId: &f.otherKeyARN, DryRun: aws.Bool(true),
	})
	if incorrect := (*kmstypes.IncorrectKeyException)(nil); !errors.As(err, &incorrect) {
		t.Errorf("DryRun with another KeyId: got %v, want IncorrectKeyException", err)
	}
	_, err = client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob: f.blob, EncryptionContext: map[string]string{"PARAMETER_ARN": f.other}, KeyId: &f.keyARN, DryRun: aws.Bool(true),
	})
	if invalid := (*kmstypes.InvalidCiphertextException)(nil); !errors.As(err, &invalid) {
		t.Errorf("DryRun with another encryption context: got %v, want InvalidCiphertextException", err)
	}

	// The default credentials may do anything, as before.
	out, err := f.decryptAs(aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}, true)
	checkDryRunSucceeded(t, out, err)
	out, err = f.decryptAs(aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}, false)
	if err != nil || string(out.Plaintext) != f.value {
		t.Errorf("Decrypt with the default credentials: got %v, want the plaintext", err)
	}
}

// TestDecryptKeyPolicy checks the key policy's part: an explicit Deny in it refuses whatever the
// identity policies allow, and naming the role directly is enough in the key's own account.
func TestDecryptKeyPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newSecretFixture(t)
	creds := f.role(t, map[string]string{"all": testbed.Policy(testbed.Statement{Effect: "Allow", Action: "kms:*", Resource: "*"})})
	caller := callerARN(t, f.emu, creds)
	root := map[string]any{"AWS": "arn:aws:iam::" + testbed.Account + ":root"}
	delegate := testbed.Statement{Effect: "Allow", Principal: root, Action: "kms:*", Resource: "*"}

	deny := testbed.Statement{Effect: "Deny", Principal: "*", Action: "kms:Decrypt", Resource: "*",
		Condition: map[string]map[string]any{"StringLike": {"aws:PrincipalArn": "*:role/*"}}}
	if err := f.seed.PutKeyPolicy(ctx, f.keyID, testbed.Policy(delegate, deny)); err != nil {
		t.Fatal(err)
	}
	_, err := f.decryptAs(creds, true)
	checkAccessDenied(t, err, caller, f.keyARN, resourceDeny)

	// A key policy that does not delegate to IAM admits only whom it names, in its account even
	// a role without identity policies.
	namedARN, err := f.seed.CreateRole(ctx, testbed.UniqueRoleName(t), testbed.TrustPolicy(testbed.Account), nil)
	if err != nil {
		t.Fatal(err)
	}
	named, err := f.seed.AssumeRole(ctx, namedARN, sessionName)
	if err != nil {
		t.Fatal(err)
	}
	onlyNamed := testbed.Statement{Effect: "Allow", Principal: map[string]any{"AWS": namedARN}, Action: "kms:Decrypt", Resource: "*"}
	if err := f.seed.PutKeyPolicy(ctx, f.keyID, testbed.Policy(onlyNamed)); err != nil {
		t.Fatal(err)
	}
	out, err := f.decryptAs(named, true)
	checkDryRunSucceeded(t, out, err)
	_, err = f.decryptAs(creds, true)
	checkAccessDenied(t, err, caller, f.keyARN, noResourceAllow)
}

// TestAssumeRoleTrustPolicy checks that AssumeRole honours the role's trust policy.
func TestAssumeRoleTrustPolicy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu := testbed.Shared(t)
	seed := emu.Seeder(region)
	p := emu.Proxy(t)
	stsc := sts.NewFromConfig(p.AWSConfig(region))

	if got := callerARN(t, emu, aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}); got != testbed.CallerARN {
		t.Errorf("GetCallerIdentity = %q, want CallerARN %q", got, testbed.CallerARN)
	}
	ciName := testbed.UniqueRoleName(t)
	ciARN, err := seed.CreateRole(ctx, ciName, testbed.TrustPolicy("arn:aws:iam::"+testbed.Account+":root"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := seed.AssumeRole(ctx, ciARN, "ci")
	if err != nil {
		t.Fatal(err)
	}
	ciSession := "arn:aws:sts::" + testbed.Account + ":assumed-role/" + ciName + "/ci"

	deny := testbed.Policy(
		testbed.Statement{Effect: "Allow", Principal: map[string]any{"AWS": "*"}, Action: "sts:AssumeRole"},
		testbed.Statement{Effect: "Deny", Principal: map[string]any{"AWS": testbed.CallerARN}, Action: "sts:*"},
	)
	service := testbed.Policy(testbed.Statement{Effect: "Allow", Principal: map[string]any{"Service": "lambda.amazonaws.com"}, Action: "sts:AssumeRole"})
	tests := []struct {
		name   string
		trust  string
		as     aws.Credentials // zero: the test bed's credentials
		caller string          // "" when allowed
	}{
		{name: "account root", trust: testbed.TrustPolicy("arn:aws:iam::" + testbed.Account + ":root")},
		{name: "account id", trust: testbed.TrustPolicy(testbed.Account)},
		{name: "caller ARN", trust: testbed.TrustPolicy(testbed.CallerARN)},
		{name: "anyone", trust: testbed.Policy(testbed.Statement{Effect: "Allow", Principal: "*", Action: "sts:AssumeRole"})},
		{name: "assumed role by role ARN", trust: testbed.TrustPolicy(ciARN), as: ci},
		{name: "another account", trust: testbed.TrustPolicy(testbed.OtherAccount), caller: testbed.CallerARN},
		{name: "Lambda only", trust: service, caller: testbed.CallerARN},
		{name: "explicit deny", trust: deny, caller: testbed.CallerARN},
		{name: "another role", trust: testbed.TrustPolicy(ciARN), caller: testbed.CallerARN},
		{name: "assumed role not named", trust: testbed.TrustPolicy(testbed.CallerARN), as: ci, caller: ciSession},
	}
	t.Cleanup(func() { // after the parallel subtests
		if n := p.Calls("sts:AssumeRole"); n != len(tests)+1 {
			t.Errorf("proxy counted %d sts:AssumeRole calls, want %d", n, len(tests)+1)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			arn, err := seed.CreateRole(ctx, testbed.UniqueRoleName(t), tt.trust, nil)
			if err != nil {
				t.Fatal(err)
			}
			client := stsc
			if tt.as.AccessKeyID != "" {
				client = sts.NewFromConfig(p.AWSConfigAs(region, tt.as))
			}
			out, err := client.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: &arn, RoleSessionName: aws.String(sessionName), DurationSeconds: aws.Int32(900)})
			if tt.caller == "" {
				if err != nil {
					t.Fatalf("AssumeRole: %v", err)
				}
				if got, want := aws.ToString(out.AssumedRoleUser.Arn), strings.Replace(arn, ":iam::", ":sts::", 1)+"/"+sessionName; got != strings.Replace(want, ":role/", ":assumed-role/", 1) {
					t.Errorf("AssumedRoleUser.Arn = %q", got)
				}
				return
			}
			checkAssumeDenied(t, err, tt.caller, arn)
		})
	}

	missing := "arn:aws:iam::" + testbed.Account + ":role/" + testbed.UniqueRoleName(t)
	_, err = stsc.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: &missing, RoleSessionName: aws.String(sessionName)})
	checkAssumeDenied(t, err, testbed.CallerARN, missing)
}

func checkAssumeDenied(t *testing.T, err error, caller, roleARN string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" {
		t.Fatalf("AssumeRole: got %v, want AccessDenied", err)
	}
	if got, want := apiErr.ErrorMessage(), "User: "+caller+" is not authorized to perform: sts:AssumeRole on resource: "+roleARN; got != want {
		t.Errorf("AccessDenied message\n got %q\nwant %q", got, want)
	}
	checkStatus(t, err, http.StatusForbidden)
}

// TestDecryptAsRoleOfAnotherAccount checks a role of another account: assuming it works when its
// trust policy admits this account, but its Decrypt is refused by the key policy, which admits
// only the key's account, until the key policy names the other account.
func TestDecryptAsRoleOfAnotherAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newSecretFixture(t)
	other := f.emu.SeederIn(region, testbed.OtherAccount)
	name := testbed.UniqueRoleName(t)
	arn, err := other.CreateRole(ctx, name, testbed.TrustPolicy(testbed.Account), map[string]string{
		"read": testbed.DecryptPolicy(f.keyARN, f.param),
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "arn:aws:iam::" + testbed.OtherAccount + ":role/" + name; arn != want {
		t.Fatalf("role ARN = %q, want %q", arn, want)
	}
	creds, err := f.seed.AssumeRole(ctx, arn, sessionName)
	if err != nil {
		t.Fatal(err)
	}
	caller := callerARN(t, f.emu, creds)
	if want := "arn:aws:sts::" + testbed.OtherAccount + ":assumed-role/" + name + "/" + sessionName; caller != want {
		t.Errorf("GetCallerIdentity = %q, want %q", caller, want)
	}

	_, err = f.decryptAs(creds, true)
	checkAccessDenied(t, err, caller, f.keyARN, noResourceAllow)
	_, err = f.decryptAs(creds, false)
	checkAccessDenied(t, err, caller, f.keyARN, noResourceAllow)

	// The key policy admits the other account too: now its identity policy decides.
	admit := testbed.Policy(testbed.Statement{Effect: "Allow", Action: "kms:*", Resource: "*",
		Principal: map[string]any{"AWS": []string{"arn:aws:iam::" + testbed.Account + ":root", "arn:aws:iam::" + testbed.OtherAccount + ":root"}}})
	if err := f.seed.PutKeyPolicy(ctx, f.keyID, admit); err != nil {
		t.Fatal(err)
	}
	out, err := f.decryptAs(creds, true)
	checkDryRunSucceeded(t, out, err)
	if err := f.seed.PutKeyPolicy(ctx, f.otherKeyID, admit); err != nil {
		t.Fatal(err)
	}
	client := kms.NewFromConfig(f.proxy.AWSConfigAs(region, creds))
	_, err = client.Decrypt(ctx, &kms.DecryptInput{
		CiphertextBlob: f.otherKeyBlob, EncryptionContext: map[string]string{"PARAMETER_ARN": f.otherKeyParam}, KeyId: &f.otherKeyARN, DryRun: aws.Bool(true),
	})
	checkAccessDenied(t, err, caller, f.otherKeyARN, noIdentityAllow)
}

// TestWebIdentitySessions checks that a session from AssumeRoleWithWebIdentity is held to its
// role's policies when the role exists, and keeps full access when nobody created it (as the OIDC
// tests have it).
func TestWebIdentitySessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newSecretFixture(t)
	created, err := f.seed.CreateRole(ctx, testbed.UniqueRoleName(t), testbed.TrustPolicy(testbed.Account), nil)
	if err != nil {
		t.Fatal(err)
	}
	missing := "arn:aws:iam::" + testbed.Account + ":role/" + testbed.UniqueRoleName(t)
	stsc := sts.NewFromConfig(f.emu.AWSConfig(region))
	for _, tt := range []struct {
		role    string
		allowed bool
	}{{role: created}, {role: missing, allowed: true}} {
		out, err := stsc.AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
			RoleArn: aws.String(tt.role), RoleSessionName: aws.String("ci"), WebIdentityToken: aws.String("token"),
		})
		if err != nil {
			t.Fatal(err)
		}
		c := out.Credentials
		creds := aws.Credentials{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)}
		got, err := f.decryptAs(creds, true)
		if tt.allowed {
			checkDryRunSucceeded(t, got, err)
		} else {
			checkAccessDenied(t, err, aws.ToString(out.AssumedRoleUser.Arn), f.keyARN, noIdentityAllow)
		}
	}
}
