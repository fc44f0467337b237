package ghcreds

import (
	"encoding/base64"
	"strings"
	"testing"
)

// TestTrustHintEnterpriseServer names the condition keys of a GitHub
// Enterprise Server token by its own issuer, HOSTNAME/_services/token.
func TestTrustHintEnterpriseServer(t *testing.T) {
	t.Parallel()
	payload := `{"iss":"https://github.example.com/_services/token","sub":"repo:acme/app:ref:refs/heads/main","aud":"sts.amazonaws.com"}`
	token := "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".c2ln"
	got := trustHint("arn:aws:iam::123456789012:role/deploy", token)
	for _, want := range []string{
		`github.example.com/_services/token:sub = "repo:acme/app:ref:refs/heads/main"`,
		`github.example.com/_services/token:aud = "sts.amazonaws.com"`,
		`Principal.Federated = arn:aws:iam::123456789012:oidc-provider/github.example.com/_services/token (iss = "https://github.example.com/_services/token")`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("trustHint() = %s\nwant it to contain %s", got, want)
		}
	}
	if strings.Contains(got, defaultIssuer) {
		t.Errorf("trustHint() = %s, names the github.com issuer", got)
	}
}
