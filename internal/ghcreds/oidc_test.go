package ghcreds

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/sethvargo/go-githubactions"
)

// What the fake runtime issues.
const (
	requestToken = "runtime-request-token"
	issuer       = "https://token.actions.githubusercontent.com"
	issuedAt     = 1767225600 // 2026-01-01T00:00:00Z
	tokenLife    = 300
)

// oidcServer is the token endpoint of the GitHub Actions runtime: GET
// $ACTIONS_ID_TOKEN_REQUEST_URL&audience=..., authorized by "Bearer
// $ACTIONS_ID_TOKEN_REQUEST_TOKEN", answering {"value": "<jwt>"}. Its tokens are well-formed but
// unsigned JWTs, each one different.
type oidcServer struct {
	t        *testing.T
	url      string
	audience string         // the audience parameter every request must carry
	claims   map[string]any // sub, repository, ref, environment
	failures []int          // statuses of the first responses, before any token

	mu       sync.Mutex
	requests int
	issued   []string
}

// newOIDCServer starts a token endpoint that the end of the test stops.
func newOIDCServer(t *testing.T, audience string, claims map[string]any, failures ...int) *oidcServer {
	s := &oidcServer{t: t, audience: audience, claims: claims, failures: failures}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *oidcServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if r.Method != http.MethodGet || r.URL.Path != "/_apis/actions/idtoken" || q.Get("api-version") != "2.0" {
		s.t.Errorf("token request %s %s, want GET /_apis/actions/idtoken?api-version=2.0", r.Method, r.URL)
	}
	if got := r.Header.Get("Authorization"); !strings.EqualFold(got, "bearer "+requestToken) {
		s.t.Errorf("token request Authorization = %q, want bearer and the request token", got)
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	if got := q.Get("audience"); got != s.audience {
		s.t.Errorf("token request audience = %q, want %q", got, s.audience)
		http.Error(w, "wrong audience", http.StatusBadRequest)
		return
	}

	s.mu.Lock()
	n := s.requests
	s.requests++
	var token string
	if n >= len(s.failures) {
		token = s.jwt(n)
		s.issued = append(s.issued, token)
	}
	s.mu.Unlock()
	if token == "" {
		http.Error(w, "runtime failure", s.failures[n])
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"count": len(token), "value": token})
}

// jwt returns the n-th token: header.payload.signature, base64url without padding.
func (s *oidcServer) jwt(n int) string {
	claims := map[string]any{
		"iss": issuer,
		"aud": s.audience,
		"iat": issuedAt,
		"nbf": issuedAt,
		"exp": issuedAt + tokenLife,
		"jti": fmt.Sprintf("token-%d", n),
	}
	for k, v := range s.claims {
		claims[k] = v
	}
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "test"})
	payload, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc(header) + "." + enc(payload) + "." + enc([]byte(fmt.Sprintf("not-a-signature-%d", n)))
}

// env returns the variables the runner sets for a job with permissions id-token: write.
func (s *oidcServer) env() map[string]string {
	return map[string]string{
		"ACTIONS_ID_TOKEN_REQUEST_URL":   s.url + "/_apis/actions/idtoken?api-version=2.0",
		"ACTIONS_ID_TOKEN_REQUEST_TOKEN": requestToken,
	}
}

// stats returns how many token requests came and the tokens issued.
func (s *oidcServer) stats() (requests int, issued []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests, append([]string(nil), s.issued...)
}

// action returns the go-githubactions Action of a job with env, writing its commands to out.
func action(env map[string]string, out io.Writer) *githubactions.Action {
	return githubactions.New(
		githubactions.WithGetenv(func(k string) string { return env[k] }),
		githubactions.WithWriter(out),
	)
}

// githubToken is a's GetIDToken with its errors mapped onto this package's, as the program's
// adapter does: the TokenFunc contract.
func githubToken(a *githubactions.Action) TokenFunc {
	return func(ctx context.Context, audience string) (string, error) {
		token, err := a.GetIDToken(ctx, audience)
		var missing *githubactions.EnvMissingError
		var failed *githubactions.RequestFailedError
		switch {
		case errors.As(err, &missing):
			return "", &NoTokenError{Err: err}
		case errors.As(err, &failed):
			return "", &StatusError{StatusCode: failed.StatusCode, Err: err}
		}
		return token, err
	}
}

// lockedBuffer collects the action's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
