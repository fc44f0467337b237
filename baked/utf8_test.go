package baked_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
)

// plaintextKMS is a KMS client whose every Decrypt returns plaintext.
type plaintextKMS struct{ plaintext []byte }

func (k plaintextKMS) Decrypt(context.Context, *kms.DecryptInput, ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	return &kms.DecryptOutput{Plaintext: bytes.Clone(k.plaintext), KeyId: new(string)}, nil
}

// TestGetRefusesInvalidUTF8 checks that Get, like the Python and Node.js
// readers, refuses a plaintext that is not UTF-8 text without quoting it,
// while Bytes returns it as it is.
func TestGetRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	file := baked.File{"A": {ARN: "arn:aws:ssm:eu-west-1:123456789012:parameter/a", Ciphertext: "AQID", Version: 1}}
	tests := []struct {
		name      string
		plaintext string
		wantErr   error
	}{
		{"UTF-8", "café ✓", nil},
		{"Latin-1", "caf\xe9-secret", baked.ErrNotUTF8},
		{"truncated sequence", "secret-\xe2\x9c", baked.ErrNotUTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := baked.New(file, plaintextKMS{[]byte(tc.plaintext)})
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Get(context.Background(), "A")
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("Get() error = %v, want %v", err, tc.wantErr)
			}
			if err != nil && (got != "" || strings.Contains(err.Error(), tc.plaintext)) {
				t.Errorf("Get() = %q, %v: want no value and a message without it", got, err)
			}
			if err == nil && got != tc.plaintext {
				t.Errorf("Get() = %q, want %q", got, tc.plaintext)
			}
			raw, err := s.Bytes(context.Background(), "A")
			if err != nil || string(raw) != tc.plaintext {
				t.Errorf("Bytes() = %q, %v, want the plaintext as it is", raw, err)
			}
			if err := s.DecryptAll(context.Background()); !errors.Is(err, tc.wantErr) || (err != nil && strings.Contains(err.Error(), tc.plaintext)) {
				t.Errorf("DecryptAll() = %v, want %v, as the Python and Node.js readers report it", err, tc.wantErr)
			}
		})
	}
}
