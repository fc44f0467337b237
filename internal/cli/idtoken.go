package cli

import (
	"context"
	"errors"

	"github.com/sethvargo/go-githubactions"

	"github.com/org/secret-baker/internal/ghcreds"
)

// idTokens returns the ghcreds.TokenFunc that fetches the job's OIDC token
// for an audience, from the runner's ACTIONS_ID_TOKEN_REQUEST_* variables.
func idTokens(getenv func(string) string) ghcreds.TokenFunc {
	return func(ctx context.Context, audience string) (string, error) {
		token, err := githubactions.New(githubactions.WithGetenv(getenv)).GetIDToken(ctx, audience)
		return token, tokenError(err)
	}
}

// tokenError maps go-githubactions' GetIDToken errors onto ghcreds': a
// missing ACTIONS_ID_TOKEN_REQUEST_* variable means the job gets no token,
// and a failed request carries the endpoint's HTTP status.
func tokenError(err error) error {
	var missing *githubactions.EnvMissingError
	var failed *githubactions.RequestFailedError
	switch {
	case errors.As(err, &missing):
		return &ghcreds.NoTokenError{Err: err}
	case errors.As(err, &failed):
		return &ghcreds.StatusError{StatusCode: failed.StatusCode, Err: err}
	}
	return err
}
