package ghcreds

import (
	"encoding/base64"
	"testing"
)

func TestTrustHint(t *testing.T) {
	t.Parallel()
	jwt := func(payload string) string {
		enc := base64.RawURLEncoding.EncodeToString
		return enc([]byte(`{"alg":"RS256"}`)) + "." + enc([]byte(payload)) + ".c2lnbmF0dXJl"
	}
	tests := []struct {
		name  string
		token string
		want  string
	}{
		{
			name:  "enterprise issuer and audiences",
			token: jwt(`{"iss":"https://token.actions.githubusercontent.com/acme","sub":"repo:acme/app:pull_request","aud":["sts.amazonaws.com","other"],"repository":"acme/app","ref":"refs/pull/7/merge","job_workflow_ref":"acme/ci/.github/workflows/deploy.yml@refs/heads/main"}`),
			want:  `the role's trust policy must allow this token: Principal.Federated = arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com/acme (iss = "https://token.actions.githubusercontent.com/acme"), token.actions.githubusercontent.com/acme:sub = "repo:acme/app:pull_request", token.actions.githubusercontent.com/acme:aud = "sts.amazonaws.com" or "other" (job_workflow_ref = "acme/ci/.github/workflows/deploy.yml@refs/heads/main", repository = "acme/app", ref = "refs/pull/7/merge", environment = none)`,
		},
		{
			name:  "no issuer",
			token: jwt(`{"sub":"repo:acme/app:environment:prod","aud":"sts.amazonaws.com","environment":"prod"}`),
			want:  `the role's trust policy must allow this token: Principal.Federated = arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com (iss = none), token.actions.githubusercontent.com:sub = "repo:acme/app:environment:prod", token.actions.githubusercontent.com:aud = "sts.amazonaws.com" (job_workflow_ref = none, repository = none, ref = none, environment = "prod")`,
		},
		{
			name:  "not a JWT",
			token: "opaque-token",
			want:  "the role's trust policy must allow this job's token, whose claims cannot be shown: the token is not a JWT",
		},
		{
			name:  "payload not base64url",
			token: "a.b*c.d",
			want:  "the role's trust policy must allow this job's token, whose claims cannot be shown: the token payload is not base64url",
		},
		{
			name:  "payload not JSON",
			token: jwt("secret-looking payload"),
			want:  "the role's trust policy must allow this job's token, whose claims cannot be shown: the token payload is not a JSON object of claims",
		},
		{
			name:  "aud of the wrong type",
			token: jwt(`{"sub":"x","aud":42}`),
			want:  "the role's trust policy must allow this job's token, whose claims cannot be shown: the token payload is not a JSON object of claims",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := trustHint("arn:aws-us-gov:iam::123456789012:role/deploy", tt.token); got != tt.want {
				t.Errorf("trustHint() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
