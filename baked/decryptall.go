package baked

import (
	"context"
	"errors"
	"sync"
)

// decryptConcurrency bounds the KMS calls DecryptAll makes at once.
const decryptConcurrency = 8

// DecryptAll decrypts every secret not cached yet, a few at a time, so that a
// handler can pay for KMS during its initialization rather than in its first
// invocation. It returns the errors of the secrets that failed, joined in name
// order; the others stay cached.
func (s *Secrets) DecryptAll(ctx context.Context) error {
	errs := make([]error, len(s.names))
	slots := make(chan struct{}, decryptConcurrency)
	var wg sync.WaitGroup
	for i, name := range s.names {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			_, errs[i] = s.secrets[name].get(ctx, s.client)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
