package ghcreds

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// defaultIssuer is the issuer of github.com tokens, the prefix of the trust-policy condition keys.
const defaultIssuer = "token.actions.githubusercontent.com"

// claims are the non-secret claims of a GitHub OIDC token that a role's trust policy matches.
type claims struct {
	Issuer         string   `json:"iss"`
	Subject        string   `json:"sub"`
	Audience       audience `json:"aud"`
	JobWorkflowRef string   `json:"job_workflow_ref"`
	Repository     string   `json:"repository"`
	Ref            string   `json:"ref"`
	Environment    string   `json:"environment"`
	IssuedAt       int64    `json:"iat"`
	Expires        int64    `json:"exp"`
}

// audience is the aud claim, a string or an array of strings.
type audience []string

// UnmarshalJSON accepts both forms of the claim.
func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return errors.New("aud is neither a string nor an array of strings")
	}
	*a = many
	return nil
}

// parseClaims decodes the payload of a JWT without verifying it. Its errors quote nothing of the
// token.
func parseClaims(token string) (claims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims{}, errors.New("the token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return claims{}, errors.New("the token payload is not base64url")
	}
	var c claims
	if err := json.Unmarshal(payload, &c); err != nil {
		return claims{}, errors.New("the token payload is not a JSON object of claims")
	}
	return c, nil
}

// trustHint shows the claims of token that roleARN's trust policy judges beside what they must
// match: iss the role's Federated principal, sub and aud the condition keys named after the
// issuer. Claims are quoted as Go strings, so control and invisible characters show as escapes;
// nothing else of the token (header, signature) is shown.
func trustHint(roleARN, token string) string {
	c, err := parseClaims(token)
	if err != nil {
		return "the role's trust policy must allow this job's token, whose claims cannot be shown: " + err.Error()
	}
	key := strings.TrimPrefix(c.Issuer, "https://")
	if key == "" {
		key = defaultIssuer
	}
	aud := make([]string, len(c.Audience))
	for i, a := range c.Audience {
		aud[i] = fmt.Sprintf("%q", a)
	}
	return fmt.Sprintf("the role's trust policy must allow this token: Principal.Federated = %[1]s (iss = %[2]s), %[3]s:sub = %[4]q, %[3]s:aud = %[5]s (job_workflow_ref = %[6]s, repository = %[7]s, ref = %[8]s, environment = %[9]s)",
		oidcProvider(roleARN, key), quoted(c.Issuer), key, c.Subject, strings.Join(aud, " or "),
		quoted(c.JobWorkflowRef), quoted(c.Repository), quoted(c.Ref), quoted(c.Environment))
}

// oidcProvider is the ARN of the IAM OIDC identity provider for issuer key in the account and
// partition of roleARN (which Options.CheckInputs has checked).
func oidcProvider(roleARN, key string) string {
	parts := strings.SplitN(roleARN, ":", 6)
	if len(parts) < 6 {
		return "the IAM OIDC provider of " + key
	}
	return "arn:" + parts[1] + ":iam::" + parts[4] + ":oidc-provider/" + key
}

// expiryHint gives the token's lifetime, to tell an expired token from clock skew.
func expiryHint(token string) string {
	c, err := parseClaims(token)
	if err != nil || c.IssuedAt == 0 || c.Expires == 0 {
		return "check the clock of the runner"
	}
	return fmt.Sprintf("it was issued at %s and expires at %s; check the clock of the runner",
		time.Unix(c.IssuedAt, 0).UTC().Format(time.RFC3339), time.Unix(c.Expires, 0).UTC().Format(time.RFC3339))
}

// quoted is a claim as a Go string literal, or none when the token has no such claim.
func quoted(s string) string {
	if s == "" {
		return "none"
	}
	return fmt.Sprintf("%q", s)
}
