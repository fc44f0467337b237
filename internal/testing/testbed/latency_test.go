package testbed_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
	"github.com/org/secret-baker/seal"
)

// latencyClients starts a Latency server without delay and returns SDK clients pointed at it.
func latencyClients(t *testing.T) (*testbed.Latency, *ssm.Client, *kms.Client) {
	t.Helper()
	s, err := testbed.NewLatency(region, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	cfg := s.AWSConfig()
	return s, ssm.NewFromConfig(cfg), kms.NewFromConfig(cfg)
}

func TestLatencyAnswersAsAWSDoes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, ssmc, kmsc := latencyClients(t)
	if !s.FirstRequest().IsZero() {
		t.Error("FirstRequest() is set before any request")
	}

	names := []string{"/bench/a", "/bench/b", "plain", "/bench/c:stable"}
	out, err := ssmc.GetParameters(ctx, &ssm.GetParametersInput{Names: names, WithDecryption: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.InvalidParameters) != 0 {
		t.Errorf("InvalidParameters = %q, want none", out.InvalidParameters)
	}
	if len(out.Parameters) != len(names) {
		t.Fatalf("got %d parameters, want %d", len(out.Parameters), len(names))
	}
	tests := []struct {
		wantName     string
		wantSelector string
		wantARN      string
	}{
		{wantName: "/bench/a", wantARN: "arn:aws:ssm:" + region + ":123456789012:parameter/bench/a"},
		{wantName: "/bench/b", wantARN: "arn:aws:ssm:" + region + ":123456789012:parameter/bench/b"},
		{wantName: "plain", wantARN: "arn:aws:ssm:" + region + ":123456789012:parameter/plain"},
		{wantName: "/bench/c", wantSelector: ":stable", wantARN: "arn:aws:ssm:" + region + ":123456789012:parameter/bench/c"},
	}
	plaintexts := map[string]bool{}
	for i, tt := range tests {
		p := out.Parameters[i]
		if got := aws.ToString(p.Name); got != tt.wantName {
			t.Errorf("parameter %d: Name = %q, want %q", i, got, tt.wantName)
		}
		if got := aws.ToString(p.Selector); got != tt.wantSelector {
			t.Errorf("%s: Selector = %q, want %q", tt.wantName, got, tt.wantSelector)
		}
		if got := aws.ToString(p.ARN); got != tt.wantARN {
			t.Errorf("%s: ARN = %q, want %q", tt.wantName, got, tt.wantARN)
		}
		if p.Type != ssmtypes.ParameterTypeSecureString || p.Version != 1 {
			t.Errorf("%s: Type %q version %d, want SecureString version 1", tt.wantName, p.Type, p.Version)
		}

		dec, err := decrypt(ctx, kmsc, aws.ToString(p.Value), map[string]string{"PARAMETER_ARN": tt.wantARN})
		if err != nil {
			t.Fatalf("%s: Decrypt with the parameter ARN context: %v", tt.wantName, err)
		}
		if got := aws.ToString(dec.KeyId); got != s.KeyARN() {
			t.Errorf("%s: Decrypt KeyId = %q, want %q", tt.wantName, got, s.KeyARN())
		}
		if !regexp.MustCompile(`^value-[0-9]+$`).Match(dec.Plaintext) {
			t.Errorf("%s: plaintext %q is not value-<n>", tt.wantName, dec.Plaintext)
		}
		plaintexts[string(dec.Plaintext)] = true
		if dec.EncryptionAlgorithm != kmstypes.EncryptionAlgorithmSpecSymmetricDefault {
			t.Errorf("%s: EncryptionAlgorithm = %q, want SYMMETRIC_DEFAULT", tt.wantName, dec.EncryptionAlgorithm)
		}

		for _, wrong := range []map[string]string{nil, {"PARAMETER_ARN": tt.wantARN + "x"}, {"PARAMETER_ARN": tt.wantARN, "extra": "x"}} {
			var invalid *kmstypes.InvalidCiphertextException
			if _, err := decrypt(ctx, kmsc, aws.ToString(p.Value), wrong); !errors.As(err, &invalid) {
				t.Errorf("%s: Decrypt with context %v: got %v, want InvalidCiphertextException", tt.wantName, wrong, err)
			}
		}
	}
	if len(plaintexts) != len(tests) {
		t.Errorf("got %d distinct plaintexts for %d parameters", len(plaintexts), len(tests))
	}

	for _, id := range []string{"alias/anything", s.KeyARN()} {
		desc, err := kmsc.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		m := desc.KeyMetadata
		if m.KeyManager != kmstypes.KeyManagerTypeCustomer || m.KeyState != kmstypes.KeyStateEnabled || aws.ToString(m.Arn) != s.KeyARN() {
			t.Errorf("DescribeKey(%s) = manager %q, state %q, arn %q; want a customer managed enabled %s",
				id, m.KeyManager, m.KeyState, aws.ToString(m.Arn), s.KeyARN())
		}
	}

	one, err := ssmc.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String("/bench/a")})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := aws.ToString(one.Parameter.Value), aws.ToString(out.Parameters[0].Value); got != want {
		t.Errorf("GetParameter(/bench/a) value %q, want what GetParameters gave, %q", got, want)
	}

	want := map[string]int{"ssm:GetParameters": 1, "ssm:GetParameter": 1, "kms:Decrypt": 4 * len(tests), "kms:DescribeKey": 2}
	if got := s.CallsTotal(); !maps.Equal(got, want) {
		t.Errorf("CallsTotal() = %v, want %v", got, want)
	}
	if got := s.Calls("kms:DescribeKey"); got != 2 {
		t.Errorf("Calls(kms:DescribeKey) = %d, want 2", got)
	}
	if s.FirstRequest().IsZero() {
		t.Error("FirstRequest() is zero after requests")
	}
}

func TestLatencyCiphertextIsAKMSBlob(t *testing.T) {
	t.Parallel()
	_, ssmc, _ := latencyClients(t)
	out, err := ssmc.GetParameters(context.Background(), &ssm.GetParametersInput{Names: []string{"/x"}})
	if err != nil {
		t.Fatal(err)
	}
	blob, err := base64.StdEncoding.DecodeString(aws.ToString(out.Parameters[0].Value))
	if err != nil {
		t.Fatalf("Value is not base64: %v", err)
	}
	// Real KMS ciphertext blobs start 0x01 0x02; an Encryption SDK v1 message starts 0x01 0x80.
	if len(blob) < 3 || blob[0] != 0x01 || blob[1] != 0x02 {
		t.Errorf("ciphertext starts % x, want 01 02", blob[:min(len(blob), 3)])
	}
}

func TestLatencyRefusesOtherOperations(t *testing.T) {
	t.Parallel()
	_, ssmc, _ := latencyClients(t)
	_, err := ssmc.DescribeParameters(context.Background(), &ssm.DescribeParametersInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "UnknownOperationException" {
		t.Errorf("DescribeParameters: got %v, want UnknownOperationException", err)
	}
}

// TestLatencyParametersBake checks that bake takes the server's parameters as it takes AWS's.
func TestLatencyParametersBake(t *testing.T) {
	t.Parallel()
	_, ssmc, _ := latencyClients(t)
	secrets := make([]bake.Secret, 25)
	for i := range secrets {
		secrets[i] = bake.Secret{Name: fmt.Sprintf("S%d", i), Parameter: fmt.Sprintf("/bench/%d", i)}
	}
	file, err := bake.New(ssmc).Bake(context.Background(), secrets)
	if err != nil {
		t.Fatalf("Bake: %v", err)
	}
	if len(file) != len(secrets) {
		t.Errorf("baked %d entries, want %d", len(file), len(secrets))
	}
}

// TestLatencyFunctionRoleProof: the latency server lets a role be assumed and
// answers a DryRun Decrypt as KMS does when the call would succeed.
func TestLatencyFunctionRoleProof(t *testing.T) {
	t.Parallel()
	s, err := testbed.NewLatency("us-east-1", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	cfg := s.AWSConfig()
	out, err := sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/fn"), RoleSessionName: aws.String("s")})
	if err != nil || aws.ToString(out.Credentials.AccessKeyId) == "" {
		t.Fatalf("AssumeRole() = %v, %v", out, err)
	}
	p, err := ssm.NewFromConfig(cfg).GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/a"}})
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := base64.StdEncoding.DecodeString(aws.ToString(p.Parameters[0].Value))
	_, err = kms.NewFromConfig(cfg).Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: map[string]string{"PARAMETER_ARN": aws.ToString(p.Parameters[0].ARN)}, DryRun: aws.Bool(true)})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "DryRunOperationException" {
		t.Errorf("DryRun Decrypt = %v, want DryRunOperationException", err)
	}
	if got := s.Calls("sts:AssumeRole"); got != 1 {
		t.Errorf("sts:AssumeRole calls = %d, want 1", got)
	}
}

// TestLatencyEncryptBindsTheContext: what Encrypt seals, Decrypt opens with the same context
// only, in any server; KMS's 4,096-byte plaintext limit holds.
func TestLatencyEncryptBindsTheContext(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, _, sealer := latencyClients(t)
	_, _, opener := latencyClients(t) // another server, as another connection to the same key
	ec := map[string]string{"a": "1", "b": "2"}
	plaintext := []byte("bundle plaintext")
	out, err := sealer.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("alias/k"), Plaintext: plaintext, EncryptionContext: ec})
	if err != nil {
		t.Fatalf("Encrypt: %v", err)
	}
	if bytes.Contains(out.CiphertextBlob, plaintext) {
		t.Error("the ciphertext holds the plaintext")
	}
	dec, err := opener.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: map[string]string{"b": "2", "a": "1"}})
	if err != nil || !bytes.Equal(dec.Plaintext, plaintext) {
		t.Fatalf("Decrypt with the same context = %q, %v; want the plaintext", dec.Plaintext, err)
	}
	for _, wrong := range []map[string]string{nil, {"a": "1"}, {"a": "1", "b": "3"}, {"a": "1", "b": "2", "c": "3"}} {
		var invalid *kmstypes.InvalidCiphertextException
		if _, err := opener.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: out.CiphertextBlob, EncryptionContext: wrong}); !errors.As(err, &invalid) {
			t.Errorf("Decrypt with context %v: got %v, want InvalidCiphertextException", wrong, err)
		}
	}
	tampered := bytes.Clone(out.CiphertextBlob)
	tampered[len(tampered)-1] ^= 1
	if _, err := opener.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: tampered, EncryptionContext: ec}); err == nil {
		t.Error("Decrypt of a tampered ciphertext succeeded")
	}
	for _, size := range []int{0, 4097} {
		_, err := sealer.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String("k"), Plaintext: make([]byte, size)})
		if !isValidation(err) {
			t.Errorf("Encrypt of %d bytes: got %v, want ValidationException", size, err)
		}
	}
}

// isValidation reports whether err is an API error with the code ValidationException.
func isValidation(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == "ValidationException"
}

// TestLatencyBundleReads: a bundle sealed by package seal against one server is read by package
// baked against another in one Decrypt per chunk and no other call.
func TestLatencyBundleReads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	bakeServer, ssmc, kmsc := latencyClients(t)
	secrets := make([]bake.Secret, 200)
	for i := range secrets {
		secrets[i] = bake.Secret{Name: fmt.Sprintf("S%03d", i), Parameter: fmt.Sprintf("/bench/%d", i)}
	}
	file, err := bake.New(ssmc).Bake(ctx, secrets)
	if err != nil {
		t.Fatal(err)
	}
	bundle, err := seal.New(nil, kmsc).Bundle(ctx, file, bakeServer.KeyARN(), nil)
	if err != nil {
		t.Fatalf("Bundle: %v", err)
	}
	if len(bundle.Chunks) < 2 {
		t.Fatalf("a bundle of 200 values has %d chunk(s), want it split", len(bundle.Chunks))
	}
	reader, _, readerKMS := latencyClients(t)
	s, err := baked.NewDocument(baked.Document{Entries: file, Bundle: bundle}, readerKMS)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DecryptAll(ctx); err != nil {
		t.Fatalf("DecryptAll: %v", err)
	}
	if got, want := reader.CallsTotal(), map[string]int{"kms:Decrypt": len(bundle.Chunks)}; !maps.Equal(got, want) {
		t.Errorf("the reader made %v, want %v", got, want)
	}
}
