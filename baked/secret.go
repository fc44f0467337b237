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
	flight[[]byte]
}

// get returns the plaintext, decrypting it unless it is cached or being
// decrypted.
func (s *secret) get(ctx context.Context, client KMSClient) ([]byte, error) {
	return s.flight.get(ctx, func() string { return fmt.Sprintf("secret %q", s.name) }, func(ctx context.Context) ([]byte, error) {
		return s.decrypt(ctx, client)
	})
}

// flight is a value decrypted once and cached, which concurrent lookups share.
type flight[T any] struct {
	mu        sync.Mutex
	value     T
	decrypted bool
	inflight  *call // the decryption under way, if any
}

// call is one decryption that concurrent lookups share.
type call struct {
	done chan struct{}
	err  error // set before done is closed
}

// get returns the value, decrypting it with decrypt unless it is cached or
// being decrypted; what names it in errors. A lookup that waits on another's
// call shares its result, except when that call ended with its caller's
// context: then it tries itself. A failed call is not remembered.
func (f *flight[T]) get(ctx context.Context, what func() string, decrypt func(context.Context) (T, error)) (T, error) {
	var zero T
	for {
		f.mu.Lock()
		if f.decrypted {
			value := f.value
			f.mu.Unlock()
			return value, nil
		}
		if c := f.inflight; c != nil {
			f.mu.Unlock()
			select {
			case <-c.done:
			case <-ctx.Done():
				return zero, fmt.Errorf("failed to decrypt %s: %w", what(), ctx.Err())
			}
			if c.err != nil && !isContextError(c.err) {
				return zero, c.err
			}
			continue
		}
		c := &call{done: make(chan struct{})}
		f.inflight = c
		f.mu.Unlock()
		return f.run(ctx, c, decrypt)
	}
}

// run makes the call c and settles it, even when decrypt panics: then the
// lookups waiting on it get errPanicked, and the next one tries again,
// rather than every later lookup waiting on a call that never ends.
func (f *flight[T]) run(ctx context.Context, c *call, decrypt func(context.Context) (T, error)) (value T, err error) {
	err = errPanicked
	defer func() {
		f.mu.Lock()
		f.value, f.decrypted, f.inflight = value, err == nil, nil
		f.mu.Unlock()
		c.err = err
		close(c.done)
	}()
	value, err = decrypt(ctx)
	return value, err
}

// errPanicked is what lookups waiting on a decryption that panicked get.
var errPanicked = errors.New("the decryption they waited on panicked")

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
