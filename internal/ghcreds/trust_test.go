package ghcreds

import (
	"bytes"
	"context"
	"net/http"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// trustPolicy is the condition block of a role's trust policy for GitHub's tokens:
// token.actions.githubusercontent.com:sub StringLike sub, :aud StringEquals aud.
type trustPolicy struct{ sub, aud string }

// judge stands in for STS evaluating the policy: a token whose claims do not match is refused
// with AccessDenied, as STS refuses it; a matching one goes on to the emulator.
func (tp trustPolicy) judge(_ int, token string) stsFault {
	c, err := parseClaims(token)
	if err == nil && len(c.Audience) == 1 && c.Audience[0] == tp.aud {
		if ok, _ := path.Match(tp.sub, c.Subject); ok {
			return nil
		}
	}
	return stsError(http.StatusForbidden, accessDeniedCode, "Not authorized to perform sts:AssumeRoleWithWebIdentity")
}

// TestTrustPolicyMismatch runs jobs against a role whose trust policy admits only the production
// environment of org/app. A token it admits gets credentials; a token it refuses fails at once,
// with one token and one STS call (AccessDenied is not retried), and the error shows the claims
// beside the keys they must match. Printed by the reporter, in a GitHub Actions run and on a
// terminal, the error holds no part of the token, and a claim crafted to start a workflow
// command or to reorder the line with bidi controls stays inert data.
func TestTrustPolicyMismatch(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	policy := trustPolicy{sub: "repo:org/app:environment:production", aud: stsAudience}
	tests := []struct {
		name    string
		claims  map[string]any
		wantErr []string // in the error; none: the role is assumed
	}{
		{
			name:   "admitted",
			claims: map[string]any{"sub": "repo:org/app:environment:production", "environment": "production"},
		},
		{
			name:   "branch instead of environment",
			claims: mainClaims,
			wantErr: []string{
				federated,
				`token.actions.githubusercontent.com:sub = "repo:org/app:ref:refs/heads/main"`,
				`token.actions.githubusercontent.com:aud = "sts.amazonaws.com"`,
				`job_workflow_ref = "org/app/.github/workflows/deploy.yml@refs/heads/main"`,
			},
		},
		{
			name: "claims that try to forge commands",
			claims: map[string]any{
				"sub":              "repo:org/app:ref:refs/heads/main\n::warning::x\r::error::y",
				"job_workflow_ref": "org/app/.github/workflows/\u202ely.yaml\u2066x\u2069@refs/heads/main",
			},
			wantErr: []string{
				`token.actions.githubusercontent.com:sub = "repo:org/app:ref:refs/heads/main\n::warning::x\r::error::y"`,
				`job_workflow_ref = "org/app/.github/workflows/\u202ely.yaml\u2066x\u2069@refs/heads/main"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			j := newJob(t, tt.claims, nil, nil)
			j.sts = interceptSTS(t, j.proxy, policy.judge)
			creds, err := provider(j.cfg, j.opts, testPolicy(&fakeClock{now: time.Unix(issuedAt, 0)}, 0))
			if err != nil {
				t.Fatal(err)
			}
			got, err := retrieve(context.Background(), creds)
			j.check(t, err, 1)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("Retrieve: %v", err)
				}
				checkAssumed(t, got)
				return
			}
			if err == nil {
				t.Fatal("Retrieve succeeded, want AccessDenied")
			}
			for _, want := range tt.wantErr {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Retrieve error:\n%s\nlacks %s", err, want)
				}
			}
			_, issued := j.oidc.stats()
			for _, actions := range []bool{true, false} {
				checkPrinted(t, actions, err, issued)
			}
		})
	}
}

// checkPrinted reports err as the program does, in a GitHub Actions run or on a terminal, and
// checks that the output holds no token, neither whole nor its payload or signature, and that
// every line is the reporter's own: no control or bidi character, and in a GitHub Actions run
// exactly one workflow command, the error annotation.
func checkPrinted(t *testing.T, actions bool, err error, tokens []string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	r := report.New(report.Options{GitHubActions: actions, Getenv: func(string) string { return "" }, Stdout: &stdout, Stderr: &stderr})
	r.Report(nil, err)
	out := stdout.String() + stderr.String()
	for _, tok := range tokens {
		parts := strings.Split(tok, ".")
		for _, secret := range []string{tok, parts[1], parts[2]} {
			if strings.Contains(out, secret) {
				t.Errorf("GitHub Actions %v: the output holds the token or a part of it:\n%s", actions, out)
			}
		}
	}
	if strings.ContainsAny(out, "\r\u202e\u2066\u2069") {
		t.Errorf("GitHub Actions %v: the output holds a raw CR or bidi control:\n%q", actions, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	commands := 0
	for _, line := range lines {
		if strings.HasPrefix(line, "::") {
			commands++
		}
	}
	if want := map[bool]int{true: 1, false: 0}[actions]; commands != want || len(lines) != 1 {
		t.Errorf("GitHub Actions %v: %d lines, %d workflow commands, want 1 line that is %d:\n%s", actions, len(lines), commands, want, out)
	}
	if actions && !strings.HasPrefix(out, "::error ") {
		t.Errorf("the error annotation is not the output's first command:\n%s", out)
	}
}
