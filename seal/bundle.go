package seal

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/baked"
)

// ErrBundleMismatch is the failure of a bundle whose plaintext is not the
// entries' values.
var ErrBundleMismatch = errors.New("the bundle does not hold the entries' values: bake again")

// ErrBundleTooLarge is the refusal of values that take more chunks than a
// bundle holds, which every reader would refuse.
var ErrBundleTooLarge = fmt.Errorf("the values take more than the %d chunks of %d bytes a bundle holds: bake these secrets without a bundle, or bundle fewer of them", baked.MaxBundleChunks, baked.MaxBundleChunkSize)

// Bundle seals the values of every entry of file into a bundle under key:
// one JSON object of the values, split into as few chunks as KMS Encrypt
// takes, each bound by its context to the digest of the recorded list. Each
// entry whose value was not given (WithValues) is decrypted, with its
// context and under key, to read its value.
// When previous has the same list and decrypts to the same plaintext, its
// chunks are reused, so baking unchanged versions twice gives the same bytes.
func (s *Sealer) Bundle(ctx context.Context, file baked.File, key string, previous *baked.Bundle) (*baked.Bundle, error) {
	plaintext, err := s.bundlePlaintext(ctx, file, key)
	if err != nil {
		return nil, err
	}
	defer clear(plaintext)
	list := baked.BundleList(file)
	b := &baked.Bundle{Secrets: list, Digest: baked.BundleDigest(list), Key: key}
	if previous != nil && previous.Digest == b.Digest && previous.Key == key {
		old, err := s.openBundle(ctx, previous)
		if err == nil && bytes.Equal(old, plaintext) {
			b.Chunks = previous.Chunks
		}
		clear(old)
		if b.Chunks != nil {
			return b, nil
		}
	}
	chunks := baked.SplitBundle(plaintext, baked.MaxBundleChunkSize)
	if len(chunks) > baked.MaxBundleChunks {
		return nil, fmt.Errorf("%w (they take %d)", ErrBundleTooLarge, len(chunks))
	}
	b.Chunks = make([]string, len(chunks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	for i, chunk := range chunks {
		g.Go(func() error {
			out, err := s.kms.Encrypt(gctx, &kms.EncryptInput{KeyId: aws.String(key), Plaintext: chunk, EncryptionContext: baked.BundleContext(b.Digest, i+1, len(chunks))})
			if err != nil {
				return fmt.Errorf("failed to seal bundle chunk %d of %d with KMS key %s: %w", i+1, len(chunks), key, err)
			}
			b.Chunks[i] = base64.StdEncoding.EncodeToString(out.CiphertextBlob)
			return nil
		})
	}
	return b, g.Wait()
}

// CheckBundle establishes that the bundle holds exactly the entries' values:
// it decrypts its chunks and every entry whose value was not given, under
// key, and compares them in memory.
func (s *Sealer) CheckBundle(ctx context.Context, file baked.File, b *baked.Bundle, key string) error {
	want, err := s.bundlePlaintext(ctx, file, key)
	if err != nil {
		return err
	}
	defer clear(want)
	got, err := s.openBundle(ctx, b)
	defer clear(got)
	if err != nil || !bytes.Equal(got, want) {
		return ErrBundleMismatch
	}
	return nil
}

// bundlePlaintext decrypts every entry of file whose value it was not given
// (WithValues) and returns the bundle's plaintext: the JSON object of the
// values by name. A value that is not UTF-8 text, which every reader
// refuses, is refused.
func (s *Sealer) bundlePlaintext(ctx context.Context, file baked.File, key string) ([]byte, error) {
	names := slices.Sorted(maps.Keys(file))
	values := make([]string, len(names))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	for i, name := range names {
		if v, ok := s.values[name]; ok {
			values[i] = string(v)
			continue
		}
		g.Go(func() error {
			e := file[name]
			blob, err := baked.DecodeCiphertext(e.Ciphertext)
			if err != nil {
				return fmt.Errorf("failed to bundle secret %q: its ciphertext is not valid base64", name)
			}
			out, err := s.kms.Decrypt(gctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: e.EncryptionContext(), KeyId: aws.String(key)})
			if err != nil {
				return fmt.Errorf("failed to bundle secret %q: %w", name, err)
			}
			values[i] = string(out.Plaintext)
			clear(out.Plaintext)
			s.mask(values[i])
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	object := make(map[string]string, len(names))
	for i, name := range names {
		// json.Marshal would turn invalid UTF-8 into U+FFFD, a value the
		// readers would return where they refuse the entry's.
		if !utf8.ValidString(values[i]) {
			return nil, fmt.Errorf("failed to bundle secret %q: %w", name, baked.ErrNotUTF8)
		}
		object[name] = values[i]
	}
	return json.Marshal(object) // keys sorted: the same values give the same bytes
}

// openBundle decrypts the chunks of b and returns their plaintext.
func (s *Sealer) openBundle(ctx context.Context, b *baked.Bundle) ([]byte, error) {
	parts := make([][]byte, len(b.Chunks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	for i, chunk := range b.Chunks {
		g.Go(func() error {
			blob, err := baked.DecodeCiphertext(chunk)
			if err != nil {
				return err
			}
			out, err := s.kms.Decrypt(gctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: baked.BundleContext(b.Digest, i+1, len(b.Chunks)), KeyId: aws.String(b.Key)})
			if err != nil {
				return err
			}
			parts[i] = out.Plaintext
			return nil
		})
	}
	err := g.Wait()
	defer func() {
		for _, p := range parts {
			clear(p)
		}
	}()
	if err != nil {
		return nil, err
	}
	return bytes.Join(parts, nil), nil
}
