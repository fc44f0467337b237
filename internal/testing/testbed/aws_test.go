package testbed_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/internal/testing/testbed"
)

const region = "eu-west-1"

// clients returns SSM and KMS clients that go through a fresh proxy.
func clients(t *testing.T) (*testbed.Emulator, *testbed.Proxy, *ssm.Client, *kms.Client) {
	t.Helper()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	cfg := p.AWSConfig(region)
	return emu, p, ssm.NewFromConfig(cfg), kms.NewFromConfig(cfg)
}

// getRaw returns the parameters GetParameters finds for names WithDecryption=false, keyed by
// name plus selector, and the names it reports invalid.
func getRaw(t *testing.T, client *ssm.Client, names ...string) (map[string]ssmtypes.Parameter, []string) {
	t.Helper()
	out, err := client.GetParameters(context.Background(), &ssm.GetParametersInput{Names: names, WithDecryption: aws.Bool(false)})
	if err != nil {
		t.Fatalf("GetParameters(%v) = %v", names, err)
	}
	found := map[string]ssmtypes.Parameter{}
	for _, p := range out.Parameters {
		found[aws.ToString(p.Name)+aws.ToString(p.Selector)] = p
	}
	slices.Sort(out.InvalidParameters)
	return found, out.InvalidParameters
}

// decrypt KMS-decrypts the base64 value of a SecureString with the given encryption context.
func decrypt(ctx context.Context, client *kms.Client, value string, encCtx map[string]string) (*kms.DecryptOutput, error) {
	blob, err := base64.StdEncoding.DecodeString(value)
	if err != nil {
		return nil, err
	}
	return client.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: encCtx})
}

func TestSecureStringIsCiphertextBoundToParameterARN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, p, ssmc, kmsc := clients(t)
	prefix := testbed.UniquePrefix(t)
	seed := emu.Seeder(region)
	keyID, keyARN, err := seed.CreateKey(ctx, "alias"+prefix)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		keyID string
	}{
		{name: "key id", keyID: keyID},
		{name: "key arn", keyID: keyARN},
		{name: "alias", keyID: "alias" + prefix},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := prefix + "/" + tt.name
			value := "s3cr3t for " + tt.name
			if _, err := seed.PutSecureString(ctx, name, value, tt.keyID); err != nil {
				t.Fatal(err)
			}
			found, _ := getRaw(t, ssmc, name)
			param := found[name]
			if aws.ToString(param.Value) == value {
				t.Fatal("WithDecryption=false returned the plaintext")
			}
			wantARN := "arn:aws:ssm:" + region + ":123456789012:parameter" + name
			if got := aws.ToString(param.ARN); got != wantARN {
				t.Errorf("ARN = %q, want %q", got, wantARN)
			}

			out, err := decrypt(ctx, kmsc, aws.ToString(param.Value), map[string]string{"PARAMETER_ARN": wantARN})
			if err != nil {
				t.Fatalf("Decrypt with the parameter ARN context: %v", err)
			}
			if string(out.Plaintext) != value {
				t.Errorf("Decrypt plaintext = %q, want %q", out.Plaintext, value)
			}
			if got := aws.ToString(out.KeyId); got != keyARN {
				t.Errorf("Decrypt KeyId = %q, want %q", got, keyARN)
			}

			for _, wrong := range []map[string]string{
				nil,
				{"PARAMETER_ARN": wantARN + "x"},
				{"PARAMETER_ARN": wantARN, "extra": "x"},
			} {
				var invalid *kmstypes.InvalidCiphertextException
				if _, err := decrypt(ctx, kmsc, aws.ToString(param.Value), wrong); !errors.As(err, &invalid) {
					t.Errorf("Decrypt with context %v: got %v, want InvalidCiphertextException", wrong, err)
				}
			}
		})
	}
	if got, want := p.Calls("kms:Decrypt"), 4*len(tests); got != want {
		t.Errorf("Calls(kms:Decrypt) = %d, want %d", got, want)
	}
}

// TestDefaultKeyIsAWSManaged checks the AWS managed key alias/aws/ssm as AWS has it: SSM uses
// it, KMS describes it as AWS managed, DescribeParameters names it, and a direct Decrypt under it
// is refused, as its key policy admits only SSM.
func TestDefaultKeyIsAWSManaged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, _, ssmc, kmsc := clients(t)
	name := testbed.UniquePrefix(t) + "/default"
	const value = "default-key-secret"
	if _, err := emu.Seeder(region).PutSecureString(ctx, name, value, ""); err != nil {
		t.Fatal(err)
	}

	found, _ := getRaw(t, ssmc, name)
	param := found[name]
	_, err := decrypt(ctx, kmsc, aws.ToString(param.Value), map[string]string{"PARAMETER_ARN": aws.ToString(param.ARN)})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDeniedException" || !strings.Contains(apiErr.ErrorMessage(), "is not authorized to perform: kms:Decrypt") {
		t.Errorf("direct Decrypt under alias/aws/ssm: got %v, want AccessDeniedException", err)
	}

	out, err := ssmc.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{name}, WithDecryption: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Parameters) != 1 || aws.ToString(out.Parameters[0].Value) != value {
		t.Errorf("GetParameters WithDecryption=true = %+v, want the plaintext: SSM itself may use the key", out.Parameters)
	}

	desc, err := ssmc.DescribeParameters(ctx, &ssm.DescribeParametersInput{
		ParameterFilters: []ssmtypes.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("Equals"), Values: []string{name}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(desc.Parameters) != 1 || aws.ToString(desc.Parameters[0].KeyId) != "alias/aws/ssm" {
		t.Errorf("DescribeParameters = %+v, want %s with KeyId alias/aws/ssm", desc.Parameters, name)
	}

	key, err := kmsc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ssm")})
	if err != nil {
		t.Fatal(err)
	}
	if got := key.KeyMetadata.KeyManager; got != kmstypes.KeyManagerTypeAws {
		t.Errorf("DescribeKey(alias/aws/ssm).KeyManager = %q, want AWS", got)
	}
	if apiErr != nil && !strings.Contains(apiErr.ErrorMessage(), aws.ToString(key.KeyMetadata.Arn)) {
		t.Errorf("AccessDeniedException message %q does not name the key %s", apiErr.ErrorMessage(), aws.ToString(key.KeyMetadata.Arn))
	}
}

// TestDescribeParametersPages checks that DescribeParameters answers up to 50 names in one page,
// with each parameter's key as it was put.
func TestDescribeParametersPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, p, ssmc, _ := clients(t)
	prefix := testbed.UniquePrefix(t)
	seed := emu.Seeder(region)
	keyID, _, err := seed.CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	var names []string
	for i := range 60 {
		name := fmt.Sprintf("%s/p%02d", prefix, i)
		key := ""
		if i%2 == 0 {
			key = keyID
		}
		if _, err := seed.PutSecureString(ctx, name, "v", key); err != nil {
			t.Fatal(err)
		}
		if i < 50 {
			names = append(names, name)
			want[name] = cmp.Or(key, "alias/aws/ssm")
		}
	}

	out, err := ssmc.DescribeParameters(ctx, &ssm.DescribeParametersInput{
		MaxResults:       aws.Int32(50),
		ParameterFilters: []ssmtypes.ParameterStringFilter{{Key: aws.String("Name"), Option: aws.String("Equals"), Values: names}},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range out.Parameters {
		got[aws.ToString(m.Name)] = aws.ToString(m.KeyId)
	}
	if !maps.Equal(got, want) || out.NextToken != nil {
		t.Errorf("one page of 50: got %d parameters %v, NextToken %v; want %v", len(got), got, aws.ToString(out.NextToken), want)
	}
	if n := p.Calls("ssm:DescribeParameters"); n != 1 {
		t.Errorf("%d DescribeParameters calls, want 1", n)
	}
}

func TestCustomerKeyIsCustomerManaged(t *testing.T) {
	t.Parallel()
	emu, _, _, kmsc := clients(t)
	keyID, _, err := emu.Seeder(region).CreateKey(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	desc, err := kmsc.DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: &keyID})
	if err != nil {
		t.Fatal(err)
	}
	if got := desc.KeyMetadata.KeyManager; got != kmstypes.KeyManagerTypeCustomer {
		t.Errorf("KeyManager = %q, want CUSTOMER", got)
	}
}

func TestParameterKinds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, _, ssmc, kmsc := clients(t)
	prefix := testbed.UniquePrefix(t)
	seed := emu.Seeder(region)
	advanced, plain := prefix+"/advanced", prefix+"/plain"
	if err := seed.PutAdvanced(ctx, advanced, "advanced-secret", ""); err != nil {
		t.Fatal(err)
	}
	if err := seed.PutString(ctx, plain, "plain-value"); err != nil {
		t.Fatal(err)
	}

	raw, _ := getRaw(t, ssmc, advanced, plain)
	out, err := ssmc.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{advanced, plain}, WithDecryption: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	decrypted := map[string]string{}
	for _, p := range out.Parameters {
		decrypted[aws.ToString(p.Name)] = aws.ToString(p.Value)
	}

	blob, err := base64.StdEncoding.DecodeString(aws.ToString(raw[advanced].Value))
	if err != nil {
		t.Fatal(err)
	}
	if esdkV2 := []byte{0x02, 0x05, 0x78}; !bytes.HasPrefix(blob, esdkV2) {
		t.Errorf("advanced raw value starts % x, want the ESDK header % x", blob[:min(len(blob), 3)], esdkV2)
	}
	var invalid *kmstypes.InvalidCiphertextException
	if _, err := decrypt(ctx, kmsc, aws.ToString(raw[advanced].Value), map[string]string{"PARAMETER_ARN": aws.ToString(raw[advanced].ARN)}); !errors.As(err, &invalid) {
		t.Errorf("KMS Decrypt of the advanced value: got %v, want InvalidCiphertextException", err)
	}
	if got := decrypted[advanced]; got != "advanced-secret" {
		t.Errorf("advanced WithDecryption=true = %q, want the plaintext", got)
	}
	for _, got := range []string{aws.ToString(raw[plain].Value), decrypted[plain]} {
		if got != "plain-value" {
			t.Errorf("String value = %q, want plain-value", got)
		}
	}
}

func TestVersionAndLabelSelectors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu, _, ssmc, kmsc := clients(t)
	name := testbed.UniquePrefix(t) + "/db"
	seed := emu.Seeder(region)
	keyID, _, err := seed.CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, value := range []string{"one", "two", "three"} {
		version, err := seed.PutSecureString(ctx, name, value, keyID)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(i + 1); version != want {
			t.Fatalf("PutSecureString version = %d, want %d", version, want)
		}
	}
	if err := seed.LabelVersion(ctx, name, 2, "stable"); err != nil {
		t.Fatal(err)
	}

	found, invalid := getRaw(t, ssmc, name, name+":1", name+":stable", name+":9", name+":nolabel")
	if want := []string{name + ":9", name + ":nolabel"}; !slices.Equal(invalid, want) {
		t.Errorf("InvalidParameters = %q, want %q", invalid, want)
	}
	tests := []struct {
		key         string // name plus selector
		wantVersion int64
		wantValue   string
	}{
		{key: name, wantVersion: 3, wantValue: "three"},
		{key: name + ":1", wantVersion: 1, wantValue: "one"},
		{key: name + ":stable", wantVersion: 2, wantValue: "two"},
	}
	for _, tt := range tests {
		param, ok := found[tt.key]
		if !ok {
			t.Errorf("GetParameters returned nothing for %s (got %d parameters)", tt.key, len(found))
			continue
		}
		if param.Version != tt.wantVersion {
			t.Errorf("%s: Version = %d, want %d", tt.key, param.Version, tt.wantVersion)
		}
		out, err := decrypt(ctx, kmsc, aws.ToString(param.Value), map[string]string{"PARAMETER_ARN": aws.ToString(param.ARN)})
		if err != nil {
			t.Fatalf("%s: %v", tt.key, err)
		}
		if string(out.Plaintext) != tt.wantValue {
			t.Errorf("%s: plaintext = %q, want %q", tt.key, out.Plaintext, tt.wantValue)
		}
	}
}

func TestUnknownKeyIsRefused(t *testing.T) {
	t.Parallel()
	emu, _, ssmc, _ := clients(t)
	name := testbed.UniquePrefix(t) + "/orphan"
	for _, keyID := range []string{"alias/does-not-exist", "11111111-2222-3333-4444-555555555555"} {
		_, err := emu.Seeder(region).PutSecureString(context.Background(), name, "x", keyID)
		if invalid := (*ssmtypes.InvalidKeyId)(nil); !errors.As(err, &invalid) {
			t.Errorf("PutSecureString with key %s: got %v, want InvalidKeyId", keyID, err)
		}
	}
	if _, invalid := getRaw(t, ssmc, name); !slices.Equal(invalid, []string{name}) {
		t.Errorf("InvalidParameters = %q, want the refused parameter", invalid)
	}
}
