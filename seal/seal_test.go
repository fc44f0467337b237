package seal

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
)

const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"

// fakeSM holds one secret per id: its value by version id, and the current one.
type fakeSM struct {
	values  map[string]string // version id → value
	current string
	key     string // KmsKeyId; "" for the AWS managed key
	binary  bool
	refuse  error // GetSecretValue's error, when set
	mu      sync.Mutex
	calls   map[string]int
}

func (f *fakeSM) count(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.calls == nil {
		f.calls = map[string]int{}
	}
	f.calls[op]++
}

func (f *fakeSM) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	f.count("GetSecretValue")
	if f.refuse != nil {
		return nil, f.refuse
	}
	id := cmpOr(aws.ToString(in.VersionId), f.current)
	v, ok := f.values[id]
	if !ok {
		return nil, &smtypes.ResourceNotFoundException{Message: aws.String("not found")}
	}
	if aws.ToString(in.VersionId) != "" && in.VersionStage != nil && id != f.current {
		return nil, &smtypes.InvalidRequestException{Message: aws.String("You provided a VersionStage that is not associated to the provided VersionId.")}
	}
	// A secret read by its ARN is that secret, as AWS answers one the caller
	// may read in another account; by a name, the caller's own.
	answered := arn
	if strings.HasPrefix(aws.ToString(in.SecretId), "arn:") {
		answered = aws.ToString(in.SecretId)
	}
	out := &secretsmanager.GetSecretValueOutput{ARN: aws.String(answered), VersionId: aws.String(id), CreatedDate: aws.Time(time.Date(2026, 11, 1, 8, 0, 0, 5, time.UTC))}
	if f.binary {
		out.SecretBinary = []byte(v)
	} else {
		out.SecretString = aws.String(v)
	}
	return out, nil
}

func (f *fakeSM) DescribeSecret(context.Context, *secretsmanager.DescribeSecretInput, ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error) {
	f.count("DescribeSecret")
	out := &secretsmanager.DescribeSecretOutput{ARN: aws.String(arn)}
	if f.key != "" {
		out.KmsKeyId = aws.String(f.key)
	}
	return out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// fakeKMS seals by prefixing the context's version and key, so that a test
// can tell what it sealed; each Encrypt gives a new ciphertext.
type fakeKMS struct {
	mu       sync.Mutex
	encrypts int
	decrypts int
}

func (k *fakeKMS) Encrypt(_ context.Context, in *kms.EncryptInput, _ ...func(*kms.Options)) (*kms.EncryptOutput, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.encrypts++
	blob := []byte(aws.ToString(in.KeyId) + "|" + in.EncryptionContext["SecretVersionId"] + "|" + in.EncryptionContext["json-key"] + "|" + string(in.Plaintext) + "|" + strings.Repeat("n", k.encrypts))
	return &kms.EncryptOutput{CiphertextBlob: blob, KeyId: in.KeyId}, nil
}

func (k *fakeKMS) Decrypt(_ context.Context, in *kms.DecryptInput, _ ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	k.mu.Lock()
	k.decrypts++
	k.mu.Unlock()
	parts := strings.Split(string(in.CiphertextBlob), "|")
	if len(parts) != 5 || parts[0] != aws.ToString(in.KeyId) || parts[1] != in.EncryptionContext["SecretVersionId"] || parts[2] != in.EncryptionContext["json-key"] {
		return nil, errors.New("InvalidCiphertextException")
	}
	return &kms.DecryptOutput{Plaintext: []byte(parts[3]), KeyId: in.KeyId}, nil
}

const v1, v2 = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"

func TestSeal(t *testing.T) {
	t.Parallel()
	sm := &fakeSM{values: map[string]string{v1: `{"password":"pw-1","port":5432}`}, current: v1, key: "arn:aws:kms:us-east-1:123456789012:key/own"}
	k := &fakeKMS{}
	secrets := []Secret{{Name: "DB", SecretID: "prod/db", VersionStage: "AWSCURRENT"}, {Name: "PW", SecretID: "prod/db", VersionStage: "AWSCURRENT", JSONKey: "password"}, {Name: "PORT", SecretID: "prod/db", VersionStage: "AWSCURRENT", JSONKey: "port"}}
	first, err := New(sm, k).Seal(context.Background(), secrets)
	if err != nil {
		t.Fatal(err)
	}
	pw := first["PW"]
	if pw.ARN != arn || pw.VersionID != v1 || pw.JSONKey != "password" || pw.Context["SecretARN"] != arn || pw.Context["json-key"] != "password" || !pw.Modified.Equal(time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("PW entry = %+v", pw)
	}
	// The three declare one secret's version: one read, shared.
	if k.encrypts != 3 || sm.calls["DescribeSecret"] != 1 || sm.calls["GetSecretValue"] != 1 {
		t.Errorf("calls: %d Encrypt, %v; want 3 Encrypt, 1 DescribeSecret, 1 GetSecretValue", k.encrypts, sm.calls)
	}

	// Unchanged versions: every ciphertext is reused, no Encrypt.
	k2 := &fakeKMS{}
	again, err := New(sm, k2, WithPrevious(first)).Seal(context.Background(), secrets)
	if err != nil {
		t.Fatal(err)
	}
	for name := range first {
		if again[name].Ciphertext != first[name].Ciphertext {
			t.Errorf("%s was sealed anew, want its ciphertext reused", name)
		}
	}
	if k2.encrypts != 0 || k2.decrypts != 3 {
		t.Errorf("reuse made %d Encrypt and %d Decrypt, want 0 and 3", k2.encrypts, k2.decrypts)
	}

	// A new version: each entry is sealed anew.
	sm.values[v2], sm.current = `{"password":"pw-2","port":5432}`, v2
	rotated, err := New(sm, &fakeKMS{}, WithPrevious(first)).Seal(context.Background(), secrets)
	if err != nil {
		t.Fatal(err)
	}
	if rotated["PW"].Ciphertext == first["PW"].Ciphertext || rotated["PW"].VersionID != v2 {
		t.Errorf("the rotated secret kept its old ciphertext")
	}
}

func TestSealRefusals(t *testing.T) {
	t.Parallel()
	const marker = "hunter2-MARK"
	tests := []struct {
		name   string
		sm     *fakeSM
		secret Secret
		want   error
	}{
		{"AWS managed key", &fakeSM{values: map[string]string{v1: marker}, current: v1}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT"}, ErrAWSManagedKey},
		{"binary", &fakeSM{values: map[string]string{v1: marker}, current: v1, key: "k", binary: true}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT"}, ErrBinary},
		{"json-key of a non-JSON value", &fakeSM{values: map[string]string{v1: marker}, current: v1, key: "k"}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT", JSONKey: "password"}, ErrNotJSON},
		{"missing json-key", &fakeSM{values: map[string]string{v1: `{"user":"` + marker + `"}`}, current: v1, key: "k"}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT", JSONKey: "password"}, ErrNoJSONKey},
		{"version without the stage", &fakeSM{values: map[string]string{v1: marker, v2: marker}, current: v2, key: "k"}, Secret{Name: "A", SecretID: "s", VersionID: v1, VersionStage: "AWSCURRENT", StageDeclared: true}, ErrStage},
		{"access denied", &fakeSM{key: "k", refuse: &smithy.GenericAPIError{Code: "AccessDeniedException", Message: "not authorized to perform secretsmanager:GetSecretValue"}}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT"}, ErrRefused},
		{"Secrets Manager cannot decrypt", &fakeSM{key: "k", refuse: &smithy.GenericAPIError{Code: "DecryptionFailure", Message: "access to KMS is not allowed"}}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT"}, ErrRefused},
		{"too large", &fakeSM{values: map[string]string{v1: marker + strings.Repeat("x", 4096)}, current: v1, key: "k"}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT"}, ErrTooLarge},
		{"empty", &fakeSM{values: map[string]string{v1: ""}, current: v1, key: "k"}, Secret{Name: "A", SecretID: "s", VersionStage: "AWSCURRENT"}, ErrEmpty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := New(tt.sm, &fakeKMS{}).Seal(context.Background(), []Secret{tt.secret})
			var ps Problems
			if !errors.As(err, &ps) || !errors.Is(err, tt.want) || strings.Contains(err.Error(), "MARK") {
				t.Errorf("Seal() = %v, want a problem %v that quotes no value", err, tt.want)
			}
		})
	}
}

func TestSealMasksEveryValue(t *testing.T) {
	t.Parallel()
	var masked []string
	var mu sync.Mutex
	sm := &fakeSM{values: map[string]string{v1: `{"password":"pw-1"}`}, current: v1, key: "k"}
	_, err := New(sm, &fakeKMS{}, WithMask(func(v string) { mu.Lock(); masked = append(masked, v); mu.Unlock() })).Seal(context.Background(), []Secret{{Name: "PW", SecretID: "s", VersionStage: "AWSCURRENT", JSONKey: "password"}})
	if err != nil || len(masked) != 2 || masked[1] != "pw-1" {
		t.Errorf("masked %d values (%v), want the whole value and the field", len(masked), err)
	}
}
