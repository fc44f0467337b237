package spec

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/leakcheck"
)

// TestSecretBearingFilesAreNeverQuoted parses files that hold secrets, as the config input
// may point at by mistake, as specs and as secrets inputs: every problem is located, and no
// message quotes a marker, in any form.
func TestSecretBearingFilesAreNeverQuoted(t *testing.T) {
	t.Parallel()
	const (
		dbPassword = "Zq8-mk3Lp0-dbpass-4f1e"
		apiKey     = "sk_live_51Hx9apikeyMARKER"
		pemBody    = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7pemMARKER"
		envToken   = "ghs_envMARKER0q9w8e7r6t5y"
		anchorPass = "hunter2-anchorMARKER"
		tagPass    = "tagMARKER-9x8y7z"
		plainPass  = "correct horse battery MARKER"
	)
	pem := "-----BEGIN PRIVATE KEY-----\n" + pemBody + "\nx9Qf/3+ZC2w==\n-----END PRIVATE KEY-----\n"
	tests := []struct {
		name string
		data string
	}{
		{"values file with secrets mapping", "replicaCount: 2\nsecrets:\n  DB_PASSWORD: \"" + dbPassword + " x\"\n  API_KEY: " + apiKey + "!\n"},
		{"values file with a multi-line password", "secrets:\n  DB_PASSWORD: |\n    " + plainPass + "\n"},
		{"values file with a PEM body", "secrets:\n  tls.key: |\n" + indent(pem, "    ")},
		{"values file with a long-form PEM path", "secrets:\n  tls:\n    path: \"" + strings.ReplaceAll(pem, "\n", `\n`) + "\"\n"},
		{"values file with a listed password", "secrets:\n  - name: DB\n    path: \"" + plainPass + "\"\n"},
		{"values file with a pinned password", "secrets:\n  DB: \"/db:" + dbPassword + "/x\"\n"},
		{".env file", "DB_PASSWORD=" + dbPassword + "\nAPI_TOKEN=" + envToken + "\n"},
		{".env file with export", "export API_TOKEN=" + envToken + "\n# comment\nexport DB=" + dbPassword + "\n"},
		{"PEM private key", pem},
		{"alias to an undefined anchor", "secrets:\n  DB: *" + anchorPass + "\n"},
		{"alias as the whole file", "*" + anchorPass + "\n"},
		{"alias in a flow mapping", "secrets: {DB: *" + anchorPass + "}\n"},
		{"tagged value", "secrets:\n  DB: !" + tagPass + " /db\n"},
		{"tagged key", "secrets:\n  !" + tagPass + " DB: /db\n"},
		{"tagged secrets file", "!" + tagPass + " x\n"},
		{"tag with a bad character", "secrets:\n  DB: !" + tagPass + "{x} /db\n"},
		{"undefined tag handle", "secrets:\n  DB: !" + tagPass + "!x /db\n"},
		{"anchor and tag together", "secrets:\n  DB: &a !" + tagPass + " *" + anchorPass + "\n"},
		{"password after a tab", "secrets:\n\tDB: " + plainPass + "\n"},
		{"unterminated quoted password", "secrets:\n  DB: \"" + plainPass + "\n"},
		{"password in a broken flow sequence", "secrets: [" + dbPassword + ", " + apiKey + "\n"},
		{"control character in a password", "secrets:\n  DB: \"" + dbPassword + "\x01\"\n"},
		{"invalid UTF-8 in a password", "secrets:\n  DB: " + dbPassword + "\xff\n"},
		{"password as an age", "max-age: " + plainPass + "\nsecrets:\n  DB: /db\n"},
		{"password as a secret's age", "secrets:\n  DB:\n    path: /db\n    warn-age: " + dbPassword + "\n"},
	}
	check := leakcheck.New(dbPassword, apiKey, pemBody, envToken, anchorPass, tagPass, plainPass)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, parse := range []func() error{
				func() error { _, err := Parse("values.yaml", []byte(tc.data), Options{Root: t.TempDir()}); return err },
				func() error {
					_, err := ParseSecrets("input:secrets", []byte(tc.data), Options{Root: t.TempDir()})
					return err
				},
			} {
				err := parse()
				if err == nil {
					t.Fatal("parsed without an error")
				}
				for _, e := range Errors(err) {
					if e.Location.Line == 0 || e.Location.Column == 0 {
						t.Errorf("error without line and column: %v", e)
					}
				}
				if n := len(Errors(err)); n != strings.Count(err.Error(), "\n")+1 {
					t.Errorf("%d located errors for %d lines: %v", n, strings.Count(err.Error(), "\n")+1, err)
				}
				for _, leak := range check.Text("errors", err.Error()) {
					t.Errorf("%v\n%v", leak, err)
				}
			}
		})
	}
}

// indent prefixes every line of s with prefix.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n"+prefix) + "\n"
}
