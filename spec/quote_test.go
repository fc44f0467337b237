package spec

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/leakcheck"
)

// TestForeignContentIsNeverQuoted parses files that are no spec, and specs
// with foreign content where a key or value should be: every problem is
// located, and no message quotes the content, in any form.
func TestForeignContentIsNeverQuoted(t *testing.T) {
	t.Parallel()
	const (
		shadowLine = "root:$6$kX9v2QmZ$Wq8nUe3rT0yPz7s:20228:0:99999:7:::"
		accessKey  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzKEYq93"
		token      = "ghp_4sd9F0aQ2mZ7xV1cN8bT3yL6kP5jR0wE"
		password   = "correct horse battery staple 8812"
	)
	tests := []struct {
		name string
		data string
	}{
		{"a shadow file", shadowLine + "\ndaemon:*:20228:0:99999:7:::\n"},
		{"a JSON file of credentials", `{"aws_secret_access_key=` + accessKey + `": 1, "token ` + token + `": 2}`},
		{"unknown top-level key holding a value", "secrets: {A: /a}\n\"" + password + "\": x\n"},
		{"unknown secret key holding a value", "secrets:\n  A: {path: /a, \"" + token + ":x\": 1}\n"},
		{"secret name holding a value", "secrets:\n  \"" + password + "\": /a\n"},
		{"listed secret name holding a value", "secrets:\n  - \"" + shadowLine + "\"\n"},
		{"duplicate inline schema key holding a value", "secrets:\n  A:\n    path: /a\n    schema: {\"" + password + "\": 1, \"" + password + "\": 2}\n"},
		{"inline schema value that is no number", "secrets:\n  A:\n    path: /a\n    schema: {minimum: !!int \"" + token + "\"}\n"},
		{"inline schema value that is no boolean", "secrets:\n  A:\n    path: /a\n    schema: {uniqueItems: !!bool \"" + accessKey + "\"}\n"},
	}
	check := leakcheck.New(shadowLine, accessKey, token, password)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse("spec.yml", []byte(tc.data), Options{Root: t.TempDir()})
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			located := Errors(err)
			if len(located) == 0 {
				t.Fatalf("no located error: %v", err)
			}
			for _, e := range located {
				if e.Location.Line == 0 {
					t.Errorf("unlocated error: %v", e)
				}
			}
			for _, leak := range check.Text("errors", err.Error()) {
				t.Errorf("%v\n%v", leak, strings.ReplaceAll(err.Error(), "\n", " | "))
			}
		})
	}
}

func TestKeyRef(t *testing.T) {
	t.Parallel()
	tests := []struct{ key, want string }{
		{"regexp", ` "regexp"`},
		{"kms_key_id", ` "kms_key_id"`},
		{"secretBaker", ` "secretBaker"`},
		{"root:*:20228:0:99999:7::", ""},
		{"has space", ""},
		{"", ""},
		{"1leading", ""},
		{strings.Repeat("a", 33), ""},
		{"a\nb", ""},
	}
	for _, tc := range tests {
		if got := keyRef(tc.key); got != tc.want {
			t.Errorf("keyRef(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}
