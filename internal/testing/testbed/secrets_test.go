package testbed_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// smClient returns a Secrets Manager client through a fresh proxy and a seeder.
func smClient(t *testing.T) (*testbed.Proxy, *secretsmanager.Client, *kms.Client, *testbed.Seeder) {
	t.Helper()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	cfg := p.AWSConfig(region)
	return p, secretsmanager.NewFromConfig(cfg), kms.NewFromConfig(cfg), emu.Seeder(region)
}

// wantAPIError fails unless err is an API error with code and, when message is not "", message.
func wantAPIError(t *testing.T, err error, code, message string) {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want API error %s", err, code)
	}
	if apiErr.ErrorCode() != code || (message != "" && apiErr.ErrorMessage() != message) {
		t.Errorf("error = %s %q, want %s %q", apiErr.ErrorCode(), apiErr.ErrorMessage(), code, message)
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestSecretVersionsAndStages checks GetSecretValue by VersionId and VersionStage as AWS answers
// it while PutSecretValue and UpdateSecretVersionStage move the labels.
func TestSecretVersionsAndStages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, sm, _, seed := smClient(t)
	name := "sm" + testbed.UniquePrefix(t)

	arn, v1, err := seed.CreateSecret(ctx, name, "one", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.UpdateStage(ctx, name, "MINE", v1, ""); err != nil {
		t.Fatal(err)
	}
	put := must[string](t)
	v2 := put(seed.PutSecretValue(ctx, name, "two"))
	v3 := put(seed.PutSecretValue(ctx, arn, "three"))

	get := func(versionID, stage string) (*secretsmanager.GetSecretValueOutput, error) {
		in := &secretsmanager.GetSecretValueInput{SecretId: &name}
		if versionID != "" {
			in.VersionId = &versionID
		}
		if stage != "" {
			in.VersionStage = &stage
		}
		return sm.GetSecretValue(ctx, in)
	}
	for _, tt := range []struct {
		name, versionID, stage string
		wantValue, wantVersion string
		wantStages             []string
	}{
		{name: "default", wantValue: "three", wantVersion: v3, wantStages: []string{"AWSCURRENT"}},
		{name: "AWSPREVIOUS moved on put", stage: "AWSPREVIOUS", wantValue: "two", wantVersion: v2, wantStages: []string{"AWSPREVIOUS"}},
		{name: "custom label kept", stage: "MINE", wantValue: "one", wantVersion: v1, wantStages: []string{"MINE"}},
		{name: "by version id", versionID: v2, wantValue: "two", wantVersion: v2, wantStages: []string{"AWSPREVIOUS"}},
		{name: "id and stage agree", versionID: v3, stage: "AWSCURRENT", wantValue: "three", wantVersion: v3, wantStages: []string{"AWSCURRENT"}},
	} {
		out, err := get(tt.versionID, tt.stage)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if aws.ToString(out.SecretString) != tt.wantValue || aws.ToString(out.VersionId) != tt.wantVersion ||
			!equalSets(out.VersionStages, tt.wantStages) || aws.ToString(out.ARN) != arn || out.CreatedDate == nil {
			t.Errorf("%s: got %q version %s stages %v ARN %s created %v, want %q %s %v %s", tt.name,
				aws.ToString(out.SecretString), aws.ToString(out.VersionId), out.VersionStages, aws.ToString(out.ARN),
				out.CreatedDate, tt.wantValue, tt.wantVersion, tt.wantStages, arn)
		}
	}

	_, err = get(v3, "AWSPREVIOUS")
	wantAPIError(t, err, "InvalidRequestException", "You provided a VersionStage that is not associated to the provided VersionId.")
	_, err = get("00000000-0000-0000-0000-000000000000", "")
	wantAPIError(t, err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: 00000000-0000-0000-0000-000000000000")
	_, err = get("", "AWSPENDING")
	wantAPIError(t, err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: AWSPENDING")
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(name + "-missing")})
	wantAPIError(t, err, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.")

	// Taking MINE off v1 leaves it without labels: deprecated, out of VersionIdsToStages, still
	// read by its id.
	if err := seed.UpdateStage(ctx, name, "MINE", "", v1); err != nil {
		t.Fatal(err)
	}
	out, err := get(v1, "")
	if err != nil || aws.ToString(out.SecretString) != "one" || len(out.VersionStages) != 0 {
		t.Fatalf("deprecated version: %v, %v", out, err)
	}
	desc, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{v2: {"AWSPREVIOUS"}, v3: {"AWSCURRENT"}}
	if !maps.EqualFunc(desc.VersionIdsToStages, want, equalSets) {
		t.Errorf("VersionIdsToStages = %v, want %v", desc.VersionIdsToStages, want)
	}
	if desc.LastChangedDate == nil || desc.CreatedDate == nil || desc.DeletedDate != nil || desc.LastRotatedDate != nil || desc.NextRotationDate != nil {
		t.Errorf("DescribeSecret dates: changed %v created %v deleted %v rotated %v next %v", desc.LastChangedDate, desc.CreatedDate, desc.DeletedDate, desc.LastRotatedDate, desc.NextRotationDate)
	}
	versions, err := sm.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: &name})
	if err != nil || len(versions.Versions) != 2 {
		t.Errorf("ListSecretVersionIds without deprecated = %d versions, %v; want 2", len(versions.Versions), err)
	}
	versions, err = sm.ListSecretVersionIds(ctx, &secretsmanager.ListSecretVersionIdsInput{SecretId: &name, IncludeDeprecated: aws.Bool(true)})
	if err != nil || len(versions.Versions) != 3 {
		t.Errorf("ListSecretVersionIds with deprecated = %d versions, %v; want 3", len(versions.Versions), err)
	}

	// Moving AWSCURRENT back by UpdateSecretVersionStage takes AWSPREVIOUS along; it must name the
	// version it takes the label from.
	err = seed.UpdateStage(ctx, name, "AWSCURRENT", v2, "")
	wantAPIError(t, err, "InvalidParameterException", "")
	if err := seed.UpdateStage(ctx, name, "AWSCURRENT", v2, v3); err != nil {
		t.Fatal(err)
	}
	desc, err = sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
	if err != nil {
		t.Fatal(err)
	}
	want = map[string][]string{v2: {"AWSCURRENT"}, v3: {"AWSPREVIOUS"}}
	if !maps.EqualFunc(desc.VersionIdsToStages, want, equalSets) {
		t.Errorf("after rollback VersionIdsToStages = %v, want %v", desc.VersionIdsToStages, want)
	}
	if p.Calls("secretsmanager:GetSecretValue") == 0 || p.Calls("secretsmanager:DescribeSecret") == 0 {
		t.Errorf("proxy did not count Secrets Manager operations")
	}
}

func equalSets(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			return false
		}
	}
	return true
}

// TestSecretKmsKeyIdAsAWSReports checks DescribeSecret's KmsKeyId: absent for aws/secretsmanager
// (by default or by name), the key as given otherwise; and an unknown key is refused.
func TestSecretKmsKeyIdAsAWSReports(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, sm, _, seed := smClient(t)
	prefix := testbed.UniquePrefix(t)
	keyID, keyARN, err := seed.CreateKey(ctx, "alias"+prefix)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range []struct{ keyID, want string }{
		{keyID: "", want: ""},
		{keyID: "alias/aws/secretsmanager", want: ""},
		{keyID: keyID, want: keyID},
		{keyID: keyARN, want: keyARN},
		{keyID: "alias" + prefix, want: "alias" + prefix},
	} {
		name := "sm" + prefix + "/" + string(rune('a'+i))
		if _, _, err := seed.CreateSecret(ctx, name, "v", tt.keyID); err != nil {
			t.Fatal(err)
		}
		desc, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
		if err != nil {
			t.Fatal(err)
		}
		if got := aws.ToString(desc.KmsKeyId); got != tt.want || (tt.want == "" && desc.KmsKeyId != nil) {
			t.Errorf("created with %q: KmsKeyId = %v, want %q", tt.keyID, desc.KmsKeyId, tt.want)
		}
	}
	_, _, err = seed.CreateSecret(ctx, "sm"+prefix+"/bad", "v", "alias"+prefix+"-missing")
	wantAPIError(t, err, "InvalidParameterException", "")
}

// TestDeletedSecret checks a secret scheduled for deletion: DescribeSecret reports DeletedDate,
// GetSecretValue and PutSecretValue are InvalidRequestException, BatchGetSecretValue puts it in
// Errors.
func TestDeletedSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, sm, _, seed := smClient(t)
	prefix := testbed.UniquePrefix(t)
	gone, live := "sm"+prefix+"/gone", "sm"+prefix+"/live"
	for _, name := range []string{gone, live} {
		if _, _, err := seed.CreateSecret(ctx, name, "v-"+name, ""); err != nil {
			t.Fatal(err)
		}
	}
	before := time.Now()
	if err := seed.DeleteSecret(ctx, gone); err != nil {
		t.Fatal(err)
	}
	const marked = "You can't perform this operation on the secret because it was marked for deletion."
	_, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &gone})
	wantAPIError(t, err, "InvalidRequestException", marked)
	_, err = sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &gone, VersionStage: aws.String("AWSPENDING")})
	wantAPIError(t, err, "InvalidRequestException", marked)
	_, err = seed.PutSecretValue(ctx, gone, "again")
	wantAPIError(t, err, "InvalidRequestException", marked)

	desc, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &gone})
	if err != nil {
		t.Fatal(err)
	}
	wantDeleted := before.Add(testbed.SecretRecoveryDays * 24 * time.Hour)
	if desc.DeletedDate == nil || desc.DeletedDate.Sub(wantDeleted).Abs() > time.Minute {
		t.Errorf("DeletedDate = %v, want about %v", desc.DeletedDate, wantDeleted)
	}

	missing := "sm" + prefix + "/missing"
	out, err := sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: []string{live, gone, missing}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.SecretValues) != 1 || aws.ToString(out.SecretValues[0].SecretString) != "v-"+live || len(out.SecretValues[0].VersionStages) != 1 {
		t.Errorf("SecretValues = %+v, want %s only", out.SecretValues, live)
	}
	errs := map[string]string{}
	for _, e := range out.Errors {
		errs[aws.ToString(e.SecretId)] = aws.ToString(e.ErrorCode) + ": " + aws.ToString(e.Message)
	}
	want := map[string]string{
		gone:    "InvalidRequestException: " + marked,
		missing: "ResourceNotFoundException: Secrets Manager can't find the specified secret.",
	}
	if !maps.Equal(errs, want) {
		t.Errorf("Errors = %v, want %v", errs, want)
	}
	ids := make([]string, 21)
	for i := range ids {
		ids[i] = live
	}
	_, err = sm.BatchGetSecretValue(ctx, &secretsmanager.BatchGetSecretValueInput{SecretIdList: ids})
	wantAPIError(t, err, "ValidationException", "")
}

// TestBinarySecretAndRotation checks that a SecretBinary comes back as bytes, and that rotation
// sets LastRotatedDate and NextRotationDate and moves AWSCURRENT to a new version.
func TestBinarySecretAndRotation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, sm, _, seed := smClient(t)
	prefix := testbed.UniquePrefix(t)
	bin := "sm" + prefix + "/bin"
	value := []byte{0, 1, 0xfe, 0xff}
	if _, _, err := seed.CreateBinarySecret(ctx, bin, value, ""); err != nil {
		t.Fatal(err)
	}
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &bin})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.SecretBinary, value) || out.SecretString != nil {
		t.Errorf("SecretBinary = %x, SecretString = %v; want %x and none", out.SecretBinary, out.SecretString, value)
	}

	name := "sm" + prefix + "/rot"
	_, v1, err := seed.CreateSecret(ctx, name, "v", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = sm.RotateSecret(ctx, &secretsmanager.RotateSecretInput{SecretId: &name})
	wantAPIError(t, err, "InvalidRequestException", "No Lambda rotation function ARN is associated with this secret.")
	before := time.Now().Truncate(time.Second)
	v2, err := seed.RotateSecret(ctx, name, "arn:aws:lambda:"+region+":"+testbed.Account+":function:rotate", 30)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &name})
	if err != nil {
		t.Fatal(err)
	}
	if desc.LastRotatedDate == nil || desc.LastRotatedDate.Before(before) || desc.NextRotationDate == nil ||
		!desc.NextRotationDate.Equal(desc.LastRotatedDate.Add(30*24*time.Hour)) || !aws.ToBool(desc.RotationEnabled) {
		t.Errorf("rotated: LastRotatedDate %v NextRotationDate %v RotationEnabled %v", desc.LastRotatedDate, desc.NextRotationDate, desc.RotationEnabled)
	}
	want := map[string][]string{v1: {"AWSPREVIOUS"}, v2: {"AWSCURRENT"}}
	if !maps.EqualFunc(desc.VersionIdsToStages, want, equalSets) {
		t.Errorf("VersionIdsToStages = %v, want %v", desc.VersionIdsToStages, want)
	}
}

// TestEncryptAsAWS checks KMS Encrypt as the bake will call it: bound to its encryption context,
// refused under an AWS managed key and under a disabled key.
func TestEncryptAsAWS(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, _, kmsc, seed := smClient(t)
	keyID, keyARN, err := seed.CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	encCtx := map[string]string{"SecretARN": "arn:aws:secretsmanager:" + region + ":" + testbed.Account + ":secret:x-AbCdEf", "SecretVersionId": "v1"}
	blob, err := seed.Encrypt(ctx, keyARN, []byte("plain"), encCtx)
	if err != nil {
		t.Fatal(err)
	}
	out, err := kmsc.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: encCtx})
	if err != nil || string(out.Plaintext) != "plain" {
		t.Fatalf("Decrypt with the context = %q, %v", out.Plaintext, err)
	}
	other := maps.Clone(encCtx)
	other["SecretVersionId"] = "v2"
	for _, c := range []map[string]string{other, nil} {
		_, err = kmsc.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: c})
		wantAPIError(t, err, "InvalidCiphertextException", "")
	}

	_, err = kmsc.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/aws/secretsmanager"), Plaintext: []byte("x")})
	wantAPIError(t, err, "AccessDeniedException", "")
	if _, err := kmsc.DisableKey(ctx, &kms.DisableKeyInput{KeyId: &keyID}); err != nil {
		t.Fatal(err)
	}
	_, err = kmsc.Encrypt(ctx, &kms.EncryptInput{KeyId: &keyID, Plaintext: []byte("x")})
	wantAPIError(t, err, "DisabledException", "")
}
