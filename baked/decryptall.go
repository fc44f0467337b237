package baked

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"unicode/utf8"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// DecryptConcurrency bounds the KMS calls DecryptAll makes at once: enough
// for every file of up to that many secrets to be decrypted in one round
// trip, few enough to stay far below the 1,024 file descriptors of a Lambda
// execution environment and to be a small burst against the account's KMS
// request quota (by default 5,500 a second, up to 50,000 in the busiest
// Regions). HTTPClient keeps as many
// connections for reuse.
const DecryptConcurrency = 256

// HTTPClient returns the SDK's default HTTP client keeping DecryptConcurrency
// idle connections per host rather than 10, so that the connections of
// DecryptAll are all reused: pass it to config.LoadDefaultConfig with
// config.WithHTTPClient.
func HTTPClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConnsPerHost = DecryptConcurrency
		t.MaxIdleConns = max(t.MaxIdleConns, DecryptConcurrency)
	})
}

// DecryptAll decrypts every secret not cached yet, all at once up to
// DecryptConcurrency calls, so that a handler can pay for KMS during its
// initialization rather than in its first invocation. It returns the errors
// of the secrets that failed, joined in name order (a plaintext that is not
// UTF-8 text, which Get refuses, with ErrNotUTF8, as the Python and Node.js
// readers report it); the others stay cached. With a bundle it decrypts the
// bundle, one call per chunk, all at once.
func (s *Secrets) DecryptAll(ctx context.Context) error {
	if s.bundle != nil {
		_, err := s.bundle.values(ctx, s.client)
		return err
	}
	errs := make([]error, len(s.names))
	slots := make(chan struct{}, DecryptConcurrency)
	var wg sync.WaitGroup
	for i, name := range s.names {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			p, err := s.secrets[name].get(ctx, s.client)
			if err == nil && !utf8.Valid(p) {
				err = fmt.Errorf("%w: secret %q", ErrNotUTF8, name)
			}
			errs[i] = err
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
