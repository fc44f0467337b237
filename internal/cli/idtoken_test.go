package cli

import (
	"errors"
	"fmt"
	"testing"

	"github.com/sethvargo/go-githubactions"

	"github.com/org/secret-baker/internal/ghcreds"
)

// TestTokenError pins how go-githubactions' GetIDToken errors reach ghcreds.
func TestTokenError(t *testing.T) {
	t.Parallel()
	other := errors.New("failed to process response as JSON: unexpected end of JSON input")
	tests := []struct {
		name        string
		err         error
		wantMissing bool
		wantStatus  int
	}{
		{name: "no request URL", err: &githubactions.EnvMissingError{Name: "ACTIONS_ID_TOKEN_REQUEST_URL"}, wantMissing: true},
		{name: "no request token", err: &githubactions.EnvMissingError{Name: "ACTIONS_ID_TOKEN_REQUEST_TOKEN"}, wantMissing: true},
		{name: "500", err: &githubactions.RequestFailedError{StatusCode: 500, Body: "oops"}, wantStatus: 500},
		{name: "429", err: &githubactions.RequestFailedError{StatusCode: 429}, wantStatus: 429},
		{name: "403", err: &githubactions.RequestFailedError{StatusCode: 403}, wantStatus: 403},
		{name: "other", err: other},
		{name: "none"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := tokenError(tt.err)
			if fmt.Sprint(got) != fmt.Sprint(tt.err) || !errors.Is(got, tt.err) {
				t.Errorf("tokenError() = %v, want it to read as and wrap %v", got, tt.err)
			}
			if missing := errors.Is(got, ghcreds.ErrNoIDToken); missing != tt.wantMissing {
				t.Errorf("errors.Is(ErrNoIDToken) = %v, want %v", missing, tt.wantMissing)
			}
			var status *ghcreds.StatusError
			if errors.As(got, &status) != (tt.wantStatus != 0) || (status != nil && status.StatusCode != tt.wantStatus) {
				t.Errorf("StatusError = %+v, want status %d", status, tt.wantStatus)
			}
		})
	}
}
