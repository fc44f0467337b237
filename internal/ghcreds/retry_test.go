package ghcreds

import (
	"errors"
	"fmt"
	"net/url"
	"syscall"
	"testing"
	"time"
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

// TestTokenErrors pins how a TokenFunc's errors are read: by this package's types only.
func TestTokenErrors(t *testing.T) {
	t.Parallel()
	refused := &url.Error{Op: "Get", URL: "https://runtime/token", Err: syscall.ECONNREFUSED}
	status := func(code int) error {
		return &StatusError{StatusCode: code, Err: fmt.Errorf("status %d", code)}
	}
	tests := []struct {
		name          string
		err           error
		wantMissing   bool
		wantTransient bool
	}{
		{name: "no request variable", err: &NoTokenError{Err: errors.New("missing ACTIONS_ID_TOKEN_REQUEST_URL in environment")}, wantMissing: true},
		{name: "wrapped no request variable", err: fmt.Errorf("wrapped: %w", &NoTokenError{Err: errors.New("missing")}), wantMissing: true},
		{name: "sentinel", err: fmt.Errorf("wrapped: %w", ErrNoIDToken), wantMissing: true},
		{name: "500", err: status(500), wantTransient: true},
		{name: "503", err: status(503), wantTransient: true},
		{name: "429", err: status(429), wantTransient: true},
		{name: "403", err: status(403)},
		{name: "wrapped 502", err: fmt.Errorf("wrapped: %w", status(502)), wantTransient: true},
		{name: "error naming the variable only", err: errors.New("missing ACTIONS_ID_TOKEN_REQUEST_URL in environment")},
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
