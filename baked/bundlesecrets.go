package baked

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// ErrBundle is wrapped by the error for a bundle whose plaintext is not the
// JSON object of exactly the names it lists to strings.
var ErrBundle = errors.New("bundle does not hold exactly its secrets")

// bundleSecrets is the bundle of Secrets and its cached values.
type bundleSecrets struct {
	bundle *Bundle
	blobs  [][]byte // the decoded chunks
	flight[map[string][]byte]
}

// NewDocument returns the Secrets of d, decrypted through client, a
// *kms.Client: from its bundle when it has one, checked against its entries
// (Bundle.Check), else from its entries as New does.
func NewDocument(d Document, client KMSClient) (*Secrets, error) {
	s, err := New(d.Entries, client)
	if err != nil || d.Bundle == nil {
		return s, err
	}
	if err := d.Bundle.Check(d.Entries); err != nil {
		return nil, err
	}
	b := &bundleSecrets{bundle: d.Bundle}
	for _, c := range d.Bundle.Chunks {
		blob, _ := DecodeCiphertext(c) // canonical: Check said so
		b.blobs = append(b.blobs, blob)
	}
	s.bundle = b
	return s, nil
}

// values returns the values of every secret of the bundle, decrypting it
// unless it is cached or being decrypted.
func (b *bundleSecrets) values(ctx context.Context, client KMSClient) (map[string][]byte, error) {
	return b.flight.get(ctx, func() string { return "the bundle" }, func(ctx context.Context) (map[string][]byte, error) {
		return b.decrypt(ctx, client)
	})
}

// decrypt decrypts every chunk at once, each with its encryption context
// and the bundle's key, and returns the values their plaintexts hold.
func (b *bundleSecrets) decrypt(ctx context.Context, client KMSClient) (map[string][]byte, error) {
	n := len(b.blobs)
	plaintexts := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, blob := range b.blobs {
		wg.Go(func() {
			out, err := client.Decrypt(ctx, &kms.DecryptInput{
				CiphertextBlob:    blob,
				EncryptionContext: BundleContext(b.bundle.Digest, i+1, n),
				KeyId:             &b.bundle.Key,
			})
			if err != nil {
				errs[i] = fmt.Errorf("failed to decrypt chunk %d of %d of the bundle: %w", i+1, n, err)
				return
			}
			plaintexts[i] = out.Plaintext
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	var plaintext []byte
	for _, p := range plaintexts {
		plaintext = append(plaintext, p...)
	}
	values, ok := bundleValues(plaintext, b.bundle.Secrets)
	clear(plaintext)
	if !ok {
		return nil, fmt.Errorf("failed to decrypt the bundle: %w", ErrBundle)
	}
	return values, nil
}
