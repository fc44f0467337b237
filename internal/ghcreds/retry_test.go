package ghcreds

import (
	"errors"
	"fmt"
	"net/url"
	"syscall"
	"testing"
	"time"

	"github.com/sethvargo/go-githubactions"
)

func TestDelay(t *testing.T) {
	t.Parallel()
	tests := []struct {
		attempt  int
		min, max time.Duration
	}{
		{attempt: 1, min: 500 * time.Millisecond, max: time.Second},
		{attempt: 2, min: time.Second, max: 2 * time.Second},
		{attempt: 3, min: 2 * time.Second, max: 4 * time.Second},
		{attempt: 4, min: 4 * time.Second, max: 8 * time.Second},
		{attempt: 5, min: 4 * time.Second, max: 8 * time.Second},
		{attempt: 64, min: 4 * time.Second, max: 8 * time.Second},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.attempt), func(t *testing.T) {
			t.Parallel()
			p := standardRetry()
			p.randN = func(int64) int64 { return 0 }
			if got := p.delay(tt.attempt); got != tt.min {
				t.Errorf("shortest delay(%d) = %v, want %v", tt.attempt, got, tt.min)
			}
			p.randN = func(n int64) int64 { return n - 1 }
			if got := p.delay(tt.attempt); got != tt.max {
				t.Errorf("longest delay(%d) = %v, want %v", tt.attempt, got, tt.max)
			}
		})
	}
}

// TestTokenErrors pins how go-githubactions' GetIDToken errors are read without importing it.
func TestTokenErrors(t *testing.T) {
	t.Parallel()
	refused := &url.Error{Op: "Get", URL: "https://runtime/token", Err: syscall.ECONNREFUSED}
	tests := []struct {
		name          string
		err           error
		wantMissing   bool
		wantTransient bool
	}{
		{name: "no request URL", err: &githubactions.EnvMissingError{Name: "ACTIONS_ID_TOKEN_REQUEST_URL"}, wantMissing: true},
		{name: "no request token", err: &githubactions.EnvMissingError{Name: "ACTIONS_ID_TOKEN_REQUEST_TOKEN"}, wantMissing: true},
		{name: "sentinel", err: fmt.Errorf("wrapped: %w", ErrNoIDToken), wantMissing: true},
		{name: "500", err: &githubactions.RequestFailedError{StatusCode: 500, Body: "oops"}, wantTransient: true},
		{name: "503", err: &githubactions.RequestFailedError{StatusCode: 503}, wantTransient: true},
		{name: "429", err: &githubactions.RequestFailedError{StatusCode: 429}, wantTransient: true},
		{name: "403", err: &githubactions.RequestFailedError{StatusCode: 403}},
		{name: "connection refused", err: fmt.Errorf("failed to make HTTP request: %w", refused), wantTransient: true},
		{name: "bad request URL", err: fmt.Errorf("failed to parse request URL: %w", &url.Error{Op: "parse", URL: "::", Err: errors.New("missing protocol scheme")})},
		{name: "bad JSON", err: errors.New("failed to process response as JSON: unexpected end of JSON input")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := &tokenError{err: tt.err}
			if got := e.missing(); got != tt.wantMissing {
				t.Errorf("missing() = %v, want %v", got, tt.wantMissing)
			}
			if got := e.transient(); got != tt.wantTransient {
				t.Errorf("transient() = %v, want %v", got, tt.wantTransient)
			}
		})
	}
}
