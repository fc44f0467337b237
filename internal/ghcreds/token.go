package ghcreds

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
)

// ErrNoIDToken reports that the job cannot get an OIDC token: the runner sets
// ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN only for jobs with
// permissions id-token: write, and never for pull requests from forks.
var ErrNoIDToken = errors.New("no GitHub OIDC token")

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

// missing tells whether the runner gave the job no token: go-githubactions' *EnvMissingError
// names the variable it lacks.
func (e *tokenError) missing() bool {
	return errors.Is(e.err, ErrNoIDToken) || strings.Contains(e.err.Error(), "ACTIONS_ID_TOKEN_REQUEST_")
}

// transient tells whether another attempt may succeed: the token endpoint answered 5xx or 429,
// or the request failed on the way.
func (e *tokenError) transient() bool {
	if status, ok := statusCode(e.err); ok {
		return status >= http.StatusInternalServerError || status == http.StatusTooManyRequests
	}
	var urlErr *url.Error
	return errors.As(e.err, &urlErr) && urlErr.Op != "parse"
}

// statusCode returns the HTTP status in the StatusCode field of an error in err's chain, where
// go-githubactions' *RequestFailedError keeps it. It is read by reflection because packages below
// main do not import go-githubactions.
func statusCode(err error) (int, bool) {
	for ; err != nil; err = errors.Unwrap(err) {
		v := reflect.ValueOf(err)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			continue
		}
		f, ok := v.Type().FieldByName("StatusCode")
		if ok && f.IsExported() && len(f.Index) == 1 && v.Field(f.Index[0]).CanInt() {
			return int(v.Field(f.Index[0]).Int()), true
		}
	}
	return 0, false
}
