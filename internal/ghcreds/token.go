package ghcreds

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// ErrNoIDToken reports that the job cannot get an OIDC token: the runner sets
// ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN only for jobs with
// permissions id-token: write, and never for pull requests from forks.
var ErrNoIDToken = errors.New("no GitHub OIDC token")

// NoTokenError is a TokenFunc's error meaning that the job gets no token, such as a missing
// ACTIONS_ID_TOKEN_REQUEST_* variable. It reads as Err and matches ErrNoIDToken.
type NoTokenError struct{ Err error }

func (e *NoTokenError) Error() string { return e.Err.Error() }

func (e *NoTokenError) Unwrap() error { return e.Err }

// Is reports whether target is ErrNoIDToken.
func (e *NoTokenError) Is(target error) bool { return target == ErrNoIDToken }

// StatusError is a TokenFunc's error for a token endpoint that answered with another HTTP status
// than 200. It reads as Err.
type StatusError struct {
	StatusCode int
	Err        error
}

func (e *StatusError) Error() string { return e.Err.Error() }

func (e *StatusError) Unwrap() error { return e.Err }

// tokenSource gives stscreds the token of one attempt: it fetches a fresh one, masks it and
// keeps it for the error hints. It holds the attempt's context because
// stscreds.IdentityTokenRetriever takes none.
type tokenSource struct {
	ctx      context.Context
	fetch    TokenFunc
	mask     func(string)
	audience string

	token string // the token fetched, "" until then
}

// GetIdentityToken implements stscreds.IdentityTokenRetriever.
func (s *tokenSource) GetIdentityToken() ([]byte, error) {
	token, err := s.fetch(s.ctx, s.audience)
	if err != nil {
		return nil, &tokenError{err: err}
	}
	if token == "" {
		return nil, &tokenError{err: errors.New("the token endpoint returned an empty token")}
	}
	s.mask(token)
	s.token = token
	return []byte(token), nil
}

// tokenError is a failure to fetch the token.
type tokenError struct {
	err error
}

func (e *tokenError) Error() string { return e.err.Error() }

func (e *tokenError) Unwrap() error { return e.err }

// missing tells whether the runner gave the job no token.
func (e *tokenError) missing() bool {
	return errors.Is(e.err, ErrNoIDToken)
}

// transient tells whether another attempt may succeed: the token endpoint answered 5xx or 429,
// or the request failed on the way.
func (e *tokenError) transient() bool {
	if status := (*StatusError)(nil); errors.As(e.err, &status) {
		return status.StatusCode >= http.StatusInternalServerError || status.StatusCode == http.StatusTooManyRequests
	}
	var urlErr *url.Error
	return errors.As(e.err, &urlErr) && urlErr.Op != "parse"
}
