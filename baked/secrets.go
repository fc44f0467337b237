package baked

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// ErrUnknownSecret is wrapped by the error for a name the baked file does not
// hold.
var ErrUnknownSecret = errors.New("unknown secret")

// ErrNotUTF8 is wrapped by Get's error for a plaintext that is not valid
// UTF-8 text, as the Python and Node.js readers refuse it too; Bytes returns
// such a plaintext as it is.
var ErrNotUTF8 = errors.New("plaintext is not UTF-8 text")

// KMSClient is the part of the KMS client that Secrets uses; *kms.Client
// implements it, and so can a test's fake.
type KMSClient interface {
	Decrypt(ctx context.Context, in *kms.DecryptInput, opts ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// Secrets gives the plaintexts of a baked file's entries. It decrypts an
// entry with KMS the first time its name is asked for and keeps the plaintext
// for the life of the process, that is of the Lambda execution environment.
// It is safe for concurrent use: callers asking for the same name at once
// share one KMS call. A failed call is not remembered; the next lookup tries
// again.
//
// When the file has a bundle (NewDocument, Open), the first lookup, or
// DecryptAll, decrypts the bundle, one KMS call per chunk, and keeps every
// value; the entries are never decrypted one by one.
type Secrets struct {
	client  KMSClient
	names   []string // sorted
	secrets map[string]*secret
	bundle  *bundleSecrets // nil when the file has none
}

// New returns the Secrets of f, decrypted through client, a *kms.Client.
// It fails with a FormatError of kind "ciphertext" when a ciphertext is not
// DecodeCiphertext's canonical base64.
func New(f File, client KMSClient) (*Secrets, error) {
	s := &Secrets{client: client, names: slices.Sorted(maps.Keys(f)), secrets: make(map[string]*secret, len(f))}
	for name, e := range f {
		blob, err := DecodeCiphertext(e.Ciphertext)
		if err != nil {
			return nil, &FormatError{Kind: kindCiphertext, msg: fmt.Sprintf("entry %q: ciphertext is not canonical base64", name)}
		}
		s.secrets[name] = &secret{name: name, entry: e, blob: blob}
	}
	return s, nil
}

// Get returns the plaintext of the secret name as a string, its bytes
// unchanged (SSM stores UTF-8 text). Errors wrap ErrUnknownSecret, ErrNotUTF8,
// or the KMS client's error; they never hold the ciphertext or the plaintext.
func (s *Secrets) Get(ctx context.Context, name string) (string, error) {
	p, err := s.plaintext(ctx, name)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(p) {
		return "", fmt.Errorf("%w: secret %q", ErrNotUTF8, name)
	}
	return string(p), nil
}

// Bytes is Get returning a new copy of the plaintext bytes, which the caller
// may overwrite.
func (s *Secrets) Bytes(ctx context.Context, name string) ([]byte, error) {
	p, err := s.plaintext(ctx, name)
	return bytes.Clone(p), err
}

// plaintext returns the cached plaintext of name, which callers must not
// modify.
func (s *Secrets) plaintext(ctx context.Context, name string) ([]byte, error) {
	sec, ok := s.secrets[name]
	switch {
	case !ok:
		return nil, fmt.Errorf("%w: %q", ErrUnknownSecret, name)
	case s.bundle != nil:
		values, err := s.bundle.values(ctx, s.client)
		return values[name], err
	}
	return sec.get(ctx, s.client)
}
