package ghcreds

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/internal/testing/testbed"
)

const (
	region      = "eu-west-1"
	roleARN     = "arn:aws:iam::123456789012:role/secret-baker-deploy"
	sessionName = "secret-baker"
	stsAudience = "sts.amazonaws.com"
	// assumedARN is the identity moto gives the credentials of roleARN's session.
	assumedARN = "arn:aws:sts::123456789012:assumed-role/secret-baker-deploy/secret-baker"
)

// mainClaims are the claims of a push to main of org/app.
var mainClaims = map[string]any{"sub": "repo:org/app:ref:refs/heads/main", "repository": "org/app", "ref": "refs/heads/main", "job_workflow_ref": "org/app/.github/workflows/deploy.yml@refs/heads/main"}

// federated is the trust policy's principal that the tokens of github.com name.
const federated = "Principal.Federated = arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com (iss = \"https://token.actions.githubusercontent.com\")"

// job is one run of the code under test against a fake runtime and the emulator behind a proxy.
type job struct {
	oidc  *oidcServer
	out   *lockedBuffer
	proxy *testbed.Proxy
	sts   *stsTokens
	cfg   aws.Config // through the proxy, with SDK retries as main configures them
	opts  Options
}

// newJob sets up a job whose token endpoint first fails with tokenFailures and whose STS first
// answers with faults; unset lists runner variables to leave out.
func newJob(t *testing.T, claims map[string]any, tokenFailures []int, faults []stsFault, unset ...string) *job {
	t.Helper()
	j := &job{oidc: newOIDCServer(t, stsAudience, claims, tokenFailures...), out: &lockedBuffer{}}
	j.proxy = testbed.Shared(t).Proxy(t)
	j.sts = injectSTS(t, j.proxy, faults...)
	j.cfg = j.proxy.AWSConfig(region)
	j.cfg.RetryMaxAttempts = 5
	j.cfg.Retryer = func() aws.Retryer { return retry.NewStandard() }
	env := j.oidc.env()
	for _, k := range unset {
		delete(env, k)
	}
	a := action(env, j.out)
	j.opts = Options{
		RoleARN:     roleARN,
		SessionName: sessionName,
		Duration:    900 * time.Second,
		Audience:    stsAudience,
		Token:       githubToken(a),
		Mask:        a.AddMask,
	}
	return j
}

// check verifies what every run must: each token reached the mask, the output holds nothing but
// the masking commands, no error quotes a token, and STS got the fresh tokens in order.
func (j *job) check(t *testing.T, err error, wantTokenRequests int) {
	t.Helper()
	requests, issued := j.oidc.stats()
	if requests != wantTokenRequests {
		t.Errorf("token requests = %d, want %d", requests, wantTokenRequests)
	}
	var wantOut strings.Builder
	for _, tok := range issued {
		wantOut.WriteString("::add-mask::" + tok + "\n")
		if err != nil && strings.Contains(err.Error(), tok[strings.LastIndex(tok, ".")+1:]) {
			t.Errorf("error quotes a token: %v", err)
		}
	}
	if got := j.out.String(); got != wantOut.String() {
		t.Errorf("action output = %q, want only the masks of the %d tokens %q", got, len(issued), wantOut.String())
	}
	if got := j.sts.get(); !slices.Equal(got, issued) {
		t.Errorf("tokens sent to STS = %v, want each issued token once, in order %v", labels(got, issued), labels(issued, issued))
	}
	if got, want := j.proxy.Calls(assumeOp), len(issued); got != want {
		t.Errorf("STS calls = %d, want %d", got, want)
	}
}

// labels names tokens by their place among the issued ones, for readable failures.
func labels(tokens, issued []string) []string {
	names := make([]string, len(tokens))
	for i, tok := range tokens {
		names[i] = fmt.Sprintf("#%d", slices.Index(issued, tok))
	}
	return names
}

// checkAssumed verifies that creds are the emulator's credentials of the role session.
func checkAssumed(t *testing.T, creds aws.Credentials) {
	t.Helper()
	if creds.Source != stscreds.WebIdentityProviderName || !creds.CanExpire || creds.AccountID != "123456789012" {
		t.Errorf("credentials source %q, can expire %v, account %q: want web identity credentials of 123456789012", creds.Source, creds.CanExpire, creds.AccountID)
	}
	emu := testbed.Shared(t)
	cfg := aws.Config{
		Region:       region,
		BaseEndpoint: aws.String(emu.URL),
		Credentials:  credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken),
	}
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity with the credentials: %v", err)
	}
	if got := aws.ToString(out.Arn); got != assumedARN {
		t.Errorf("credentials of access key %s belong to %q, want %q", creds.AccessKeyID, got, assumedARN)
	}
}

func TestRetrieve(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	const (
		idpDown   = "Couldn't retrieve verification key from your identity provider"
		noIdP     = "No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com"
		opPrefix  = "operation error STS: AssumeRoleWithWebIdentity, "
		idpFailed = opPrefix + "https response error StatusCode: 400, RequestID: req-IDPCommunicationError, IDPCommunicationError: " + idpDown
	)
	idp := stsError(http.StatusBadRequest, "IDPCommunicationError", idpDown)
	tests := []struct {
		name          string
		claims        map[string]any
		unset         []string
		tokenFailures []int
		faults        []stsFault
		budget        time.Duration
		wantErr       string
		wantIs        error
		wantRequests  int // token requests
		wantSleeps    []time.Duration
	}{
		{
			name:         "first attempt",
			wantRequests: 1,
		},
		{
			name:         "IDPCommunicationError twice then success",
			faults:       []stsFault{idp, idp},
			wantRequests: 3,
			wantSleeps:   []time.Duration{time.Second, 2 * time.Second},
		},
		{
			name:         "InvalidIdentityToken then success",
			faults:       []stsFault{stsError(http.StatusBadRequest, "InvalidIdentityToken", noIdP)},
			wantRequests: 2,
			wantSleeps:   []time.Duration{time.Second},
		},
		{
			name:         "throttled then success",
			faults:       []stsFault{stsError(http.StatusBadRequest, "Throttling", "Rate exceeded")},
			wantRequests: 2,
			wantSleeps:   []time.Duration{time.Second},
		},
		{
			name:         "unavailable then success",
			faults:       []stsFault{stsError(http.StatusServiceUnavailable, "ServiceUnavailable", "Service is unavailable")},
			wantRequests: 2,
			wantSleeps:   []time.Duration{time.Second},
		},
		{
			name:         "connection dropped then success",
			faults:       []stsFault{dropConnection},
			wantRequests: 2,
			wantSleeps:   []time.Duration{time.Second},
		},
		{
			name:          "token endpoint 503 then success",
			tokenFailures: []int{http.StatusServiceUnavailable},
			wantRequests:  2,
			wantSleeps:    []time.Duration{time.Second},
		},
		{
			name:         "IDPCommunicationError every time",
			faults:       []stsFault{idp, idp, idp, idp, idp},
			wantErr:      "failed to assume " + roleARN + " after 5 attempts: " + idpFailed,
			wantRequests: 5,
			wantSleeps:   []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second},
		},
		{
			name:         "retries stop at the budget",
			faults:       []stsFault{idp, idp, idp, idp, idp},
			budget:       5 * time.Second,
			wantErr:      "failed to assume " + roleARN + " after 3 attempts: " + idpFailed,
			wantRequests: 3,
			wantSleeps:   []time.Duration{time.Second, 2 * time.Second},
		},
		{
			name:         "access denied",
			faults:       []stsFault{stsError(http.StatusForbidden, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")},
			wantErr:      `not authorized to assume ` + roleARN + `: the role's trust policy must allow this token: ` + federated + `, token.actions.githubusercontent.com:sub = "repo:org/app:ref:refs/heads/main", token.actions.githubusercontent.com:aud = "sts.amazonaws.com" (job_workflow_ref = "org/app/.github/workflows/deploy.yml@refs/heads/main", repository = "org/app", ref = "refs/heads/main", environment = none)`,
			wantRequests: 1,
		},
		{
			name:         "access denied in an environment",
			claims:       map[string]any{"sub": "repo:org/app:environment:prod", "repository": "org/app", "ref": "refs/tags/v1", "environment": "prod"},
			faults:       []stsFault{stsError(http.StatusForbidden, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")},
			wantErr:      `not authorized to assume ` + roleARN + `: the role's trust policy must allow this token: ` + federated + `, token.actions.githubusercontent.com:sub = "repo:org/app:environment:prod", token.actions.githubusercontent.com:aud = "sts.amazonaws.com" (job_workflow_ref = none, repository = "org/app", ref = "refs/tags/v1", environment = "prod")`,
			wantRequests: 1,
		},
		{
			name:         "expired token",
			faults:       []stsFault{stsError(http.StatusBadRequest, "ExpiredTokenException", "Token expired: current date/time 1767229200 must be before the expiration date/time 1767225900")},
			wantErr:      "failed to assume " + roleARN + ": STS found the GitHub OIDC token expired: it was issued at 2026-01-01T00:00:00Z and expires at 2026-01-01T00:05:00Z; check the clock of the runner",
			wantRequests: 1,
		},
		{
			name:         "duration above the role's maximum",
			faults:       []stsFault{stsError(http.StatusBadRequest, "ValidationError", "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")},
			wantErr:      "failed to assume " + roleARN + ": " + opPrefix + "https response error StatusCode: 400, RequestID: req-ValidationError, api error ValidationError: The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
			wantRequests: 1,
		},
		{
			name:          "token endpoint refuses",
			tokenFailures: []int{http.StatusUnauthorized},
			wantErr:       `failed to get the GitHub OIDC token for audience "sts.amazonaws.com": non-successful response from minting OIDC token (status 401): runtime failure`,
			wantRequests:  1,
		},
		{
			name:          "token endpoint down",
			tokenFailures: []int{502, 503, 504, 500, 503},
			wantErr:       `failed to get the GitHub OIDC token for audience "sts.amazonaws.com" after 5 attempts: non-successful response from minting OIDC token (status 503): runtime failure`,
			wantRequests:  5,
			wantSleeps:    []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second},
		},
		{
			name:    "no id-token permission",
			unset:   []string{"ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
			wantErr: "no GitHub OIDC token: the job needs `permissions: id-token: write`, and pull requests from forks get no token: missing ACTIONS_ID_TOKEN_REQUEST_URL in environment",
			wantIs:  ErrNoIDToken,
		},
		{
			name:    "no request token",
			unset:   []string{"ACTIONS_ID_TOKEN_REQUEST_TOKEN"},
			wantErr: "no GitHub OIDC token: the job needs `permissions: id-token: write`, and pull requests from forks get no token: missing ACTIONS_ID_TOKEN_REQUEST_TOKEN in environment",
			wantIs:  ErrNoIDToken,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			claims := tt.claims
			if claims == nil {
				claims = mainClaims
			}
			j := newJob(t, claims, tt.tokenFailures, tt.faults, tt.unset...)
			clock := &fakeClock{now: time.Unix(issuedAt, 0)}
			creds, err := provider(j.cfg, j.opts, testPolicy(clock, tt.budget))
			if err != nil {
				t.Fatal(err)
			}

			got, err := retrieve(context.Background(), creds)
			gotErr := ""
			if err != nil {
				gotErr = err.Error()
			}
			if gotErr != tt.wantErr {
				t.Errorf("Retrieve error:\n got %s\nwant %s", gotErr, tt.wantErr)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("Retrieve error %v is not %v", err, tt.wantIs)
			}
			j.check(t, err, tt.wantRequests)
			if got := clock.Sleeps(); !slices.Equal(got, tt.wantSleeps) {
				t.Errorf("backoff sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if err == nil {
				checkAssumed(t, got)
			}
		})
	}
}

func TestConfigure(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	ctx := context.Background()

	t.Run("assumes the role once for every client", func(t *testing.T) {
		t.Parallel()
		j := newJob(t, mainClaims, nil, nil)
		cfg, err := Configure(ctx, j.cfg, j.opts)
		if err != nil {
			t.Fatal(err)
		}
		j.check(t, nil, 1)
		client := sts.NewFromConfig(cfg)
		for range 2 {
			out, err := client.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
			if err != nil {
				t.Fatal(err)
			}
			if got := aws.ToString(out.Arn); got != assumedARN {
				t.Errorf("GetCallerIdentity ARN = %q, want %q", got, assumedARN)
			}
		}
		creds, err := cfg.Credentials.Retrieve(ctx)
		if err != nil {
			t.Fatal(err)
		}
		checkAssumed(t, creds)
		if got, want := j.proxy.AccessKeys("sts:GetCallerIdentity"), []string{creds.AccessKeyID, creds.AccessKeyID}; !slices.Equal(got, want) {
			t.Errorf("GetCallerIdentity signed by %q, want %q", got, want)
		}
		if got := j.proxy.Calls(assumeOp); got != 1 {
			t.Errorf("STS AssumeRoleWithWebIdentity calls = %d, want 1 (cached)", got)
		}
	})

	t.Run("access denied surfaces unwrapped", func(t *testing.T) {
		t.Parallel()
		j := newJob(t, mainClaims, nil, []stsFault{stsError(http.StatusForbidden, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")})
		_, err := Configure(ctx, j.cfg, j.opts)
		want := `not authorized to assume ` + roleARN + `: the role's trust policy must allow this token: ` + federated + `, token.actions.githubusercontent.com:sub = "repo:org/app:ref:refs/heads/main", token.actions.githubusercontent.com:aud = "sts.amazonaws.com" (job_workflow_ref = "org/app/.github/workflows/deploy.yml@refs/heads/main", repository = "org/app", ref = "refs/heads/main", environment = none)`
		if err == nil || err.Error() != want {
			t.Fatalf("Configure error:\n got %v\nwant %s", err, want)
		}
		if apiErr := smithy.APIError(nil); !errors.As(err, &apiErr) || apiErr.ErrorCode() != "AccessDenied" {
			t.Errorf("Configure error does not unwrap to the STS AccessDenied error: %#v", err)
		}
		j.check(t, err, 1)
	})

	t.Run("invalid options make no call", func(t *testing.T) {
		t.Parallel()
		j := newJob(t, mainClaims, nil, nil)
		o := j.opts
		o.SessionName = "bad name"
		_, err := Configure(ctx, j.cfg, o)
		want := `invalid role-session-name "bad name": want 2 to 64 characters among letters, digits and _+=,.@-`
		if err == nil || err.Error() != want {
			t.Fatalf("Configure error:\n got %v\nwant %s", err, want)
		}
		j.check(t, err, 0)
	})

	t.Run("without a role the default chain stays", func(t *testing.T) {
		t.Parallel()
		fail := func(context.Context, string) (string, error) {
			t.Error("token requested without a role")
			return "", errors.New("unexpected")
		}
		base := testbed.Shared(t).Proxy(t).AWSConfig(region)
		base.Credentials = aws.NewCredentialsCache(base.Credentials) // comparable, as LoadDefaultConfig's
		cfg, err := Configure(ctx, base, Options{Audience: stsAudience, Token: fail})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Credentials != base.Credentials {
			t.Errorf("Configure replaced the credentials without a role")
		}
		p, err := Provider(base, Options{Token: fail})
		if err != nil || p != base.Credentials {
			t.Errorf("Provider without a role = %v, %v; want the config's own provider", p, err)
		}
	})
}
