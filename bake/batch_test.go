package bake

import (
	"fmt"
	"slices"
	"testing"

	"github.com/org/secret-baker/baked"
)

func TestBatches(t *testing.T) {
	t.Parallel()
	refsOf := func(selectors ...string) []*ref {
		out := make([]*ref, len(selectors))
		for i, s := range selectors {
			out[i] = &ref{selector: s}
		}
		return out
	}
	distinct := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("/p/%d", i)
		}
		return out
	}
	tests := []struct {
		name      string
		selectors []string
		want      []int // sizes of the batches
	}{
		{"none", nil, nil},
		{"one", distinct(1), []int{1}},
		{"exactly ten", distinct(10), []int{10}},
		{"eleven", distinct(11), []int{10, 1}},
		{"twenty five", distinct(25), []int{10, 10, 5}},
		{"one parameter under three selectors shares a call", []string{"/a", "/a:1", "/a:live", "/b"}, []int{4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			refs := refsOf(tc.selectors...)
			got := batches(refs)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d batches, want %d", len(got), len(tc.want))
			}
			var order []*ref
			for i, b := range got {
				if len(b) != tc.want[i] {
					t.Errorf("batch %d: got %d names, want %d", i, len(b), tc.want[i])
				}
				order = append(order, b...)
			}
			if !slices.Equal(order, refs) {
				t.Error("batches do not hold every ref once, in order")
			}
		})
	}
}

func TestBaseName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ref     string
		want    string
		wantErr error
	}{
		{"/prod/db/password", "/prod/db/password", nil},
		{"/prod/api/token:4", "/prod/api/token", nil},
		{"/prod/api/token:live", "/prod/api/token", nil},
		{"plain_name", "plain_name", nil},
		{"/aws/reference/secretsmanager/db", "", ErrSecretsManagerRef},
		{"/AWS/Reference/SecretsManager/db", "", ErrSecretsManagerRef},
		{"", "", baked.ErrInvalidSelector},
		{"/a b", "", baked.ErrInvalidSelector},
		{"/a:1:2", "", baked.ErrInvalidSelector},
		{"arn:aws:ssm:us-east-1:123456789012:parameter/x", "", baked.ErrInvalidSelector},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			t.Parallel()
			got, err := baseName(tc.ref)
			if !errorIs(err, tc.wantErr) {
				t.Fatalf("baseName(%q) error = %v, want %v", tc.ref, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("baseName(%q) = %q, want %q", tc.ref, got, tc.want)
			}
		})
	}
}

func TestCheckCiphertext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		value   string
		wantErr error
	}{
		{"KMS ciphertext blob", "AQICAHh4dGVzdA==", nil},
		{"not base64", "kms:alias/aws/ssm:hello", ErrUnexpectedCiphertext},
		{"empty", "", ErrUnexpectedCiphertext},
		{"encryption SDK v2 message", "AgV4aGVsbG8=", ErrAdvancedTier},
		{"encryption SDK v1 message", "AYAAaGVsbG8=", ErrAdvancedTier},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := checkCiphertext(tc.value); !errorIs(err, tc.wantErr) {
				t.Errorf("checkCiphertext(%q) = %v, want %v", tc.value, err, tc.wantErr)
			}
		})
	}
}
