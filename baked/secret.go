package baked

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// secret is one entry of Secrets and its cached plaintext.
type secret struct {
	name  string
	entry Entry
	blob  []byte // the decoded ciphertext

	mu        sync.Mutex
	plaintext []byte
	decrypted bool
	inflight  *call // the Decrypt call under way, if any
}

// call is one KMS Decrypt call that concurrent lookups of a secret share.
type call struct {
	done chan struct{}
	err  error // set before done is closed
}

// get returns the plaintext, decrypting it unless it is cached or being
// decrypted. A lookup that waits on another's call shares its result, except
// when that call ended with its caller's context: then it tries itself.
func (s *secret) get(ctx context.Context, client KMSClient) ([]byte, error) {
	for {
		s.mu.Lock()
		if s.decrypted {
			plaintext := s.plaintext
			s.mu.Unlock()
			return plaintext, nil
		}
		if c := s.inflight; c != nil {
			s.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return nil, fmt.Errorf("failed to decrypt secret %q: %w", s.name, ctx.Err())
			}
			if c.err != nil && !isContextError(c.err) {
				return nil, c.err
			}
			continue
		}
		c := &call{done: make(chan struct{})}
		s.inflight = c
		s.mu.Unlock()

		plaintext, err := s.decrypt(ctx, client)
		s.mu.Lock()
		s.plaintext, s.decrypted, s.inflight = plaintext, err == nil, nil
		s.mu.Unlock()
		c.err = err
		close(c.done)
		return plaintext, err
	}
}

// decrypt makes the KMS call, with the encryption context SSM bound the
// ciphertext to, and the recorded key when the entry has one.
func (s *secret) decrypt(ctx context.Context, client KMSClient) ([]byte, error) {
	in := &kms.DecryptInput{CiphertextBlob: s.blob, EncryptionContext: s.entry.EncryptionContext()}
	if s.entry.KeyARN != "" {
		in.KeyId = &s.entry.KeyARN
	}
	out, err := client.Decrypt(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("failed to decrypt secret %q: %w", s.name, err)
	}
	return out.Plaintext, nil
}

// isContextError reports whether err ended with its context.
func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
