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
	Issuer      string   `json:"iss"`
	Subject     string   `json:"sub"`
	Audience    audience `json:"aud"`
	Repository  string   `json:"repository"`
	Ref         string   `json:"ref"`
	Environment string   `json:"environment"`
	IssuedAt    int64    `json:"iat"`
	Expires     int64    `json:"exp"`
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

// trustHint says which trust-policy conditions the token must satisfy, quoting its claims.
func trustHint(token string) string {
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
	return fmt.Sprintf("the role's trust policy must allow this token: %[1]s:sub = %[2]q, %[1]s:aud = %[3]s (repository %[4]s, ref %[5]s, environment %[6]s)",
		key, c.Subject, strings.Join(aud, " or "), orNone(c.Repository), orNone(c.Ref), orNone(c.Environment))
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

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
