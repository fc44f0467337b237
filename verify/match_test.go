package verify

import (
	"errors"
	"testing"

	"github.com/org/secret-baker/baked"
)

func TestMatch(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:ssm:us-east-1:123456789012:parameter"
	entry := func(param string, version int64) baked.Entry {
		return baked.Entry{ARN: arn + param, Ciphertext: "AQID", Version: version}
	}
	type mismatch struct {
		name    string
		reason  error
		message string
	}
	tests := []struct {
		name     string
		file     baked.File
		declared []Declared
		want     []mismatch
	}{
		{
			name:     "exact",
			file:     baked.File{"A": entry("/a", 1), "B": entry("/b", 3)},
			declared: []Declared{{Name: "A", Parameter: "/a"}, {Name: "B", Parameter: "/b:3"}},
		},
		{
			name:     "label and name without slash",
			file:     baked.File{"A": entry("/a", 1), "B": entry("/b", 3)},
			declared: []Declared{{Name: "A", Parameter: "a:live"}, {Name: "B", Parameter: "/b"}},
		},
		{
			name:     "missing, other parameter, undeclared",
			file:     baked.File{"A": entry("/b", 1), "B": entry("/a", 1), "Z": entry("/z", 1), "Y": entry("/y", 1)},
			declared: []Declared{{Name: "A", Parameter: "/a"}, {Name: "C", Parameter: "/c"}, {Name: "B", Parameter: "/a"}},
			want: []mismatch{
				{"A", ErrOtherParameter, `secret "A" was baked from ` + arn + `/b, but the spec declares parameter "/a"`},
				{"C", ErrMissing, `secret "C" is declared but not in the baked file`},
				{"", ErrUndeclared, `the baked file holds 2 secret(s) that the spec does not declare`},
			},
		},
		{
			name:     "other version",
			file:     baked.File{"A": entry("/a", 2)},
			declared: []Declared{{Name: "A", Parameter: "/a:1"}},
			want:     []mismatch{{"A", ErrOtherVersion, `secret "A" was baked from version 2, but the spec declares "/a:1"`}},
		},
		{
			name:     "ARN that is no parameter ARN",
			file:     baked.File{"A": {ARN: "a", Ciphertext: "AQID"}},
			declared: []Declared{{Name: "A", Parameter: "a"}},
			want:     []mismatch{{"A", ErrOtherParameter, `secret "A" was baked from an ARN that names no SSM parameter, but the spec declares parameter "a"`}},
		},
		{
			name:     "ARN naming no valid parameter",
			file:     baked.File{"A": {ARN: arn + "/hunter2 marker-91c2", Ciphertext: "AQID"}},
			declared: []Declared{{Name: "A", Parameter: "/a"}},
			want:     []mismatch{{"A", ErrOtherParameter, `secret "A" was baked from an ARN that names no SSM parameter, but the spec declares parameter "/a"`}},
		},
		{
			name:     "invalid selector",
			file:     baked.File{"A": entry("/a", 1)},
			declared: []Declared{{Name: "A", Parameter: "/a:1:2"}},
			want:     []mismatch{{"A", baked.ErrInvalidSelector, `secret "A": invalid parameter name or selector: character 5 is a second ':'; want NAME, NAME:VERSION or NAME:LABEL using letters, digits and _.-/`}},
		},
		{
			name:     "value where a selector belongs",
			file:     baked.File{"A": entry("/a", 1)},
			declared: []Declared{{Name: "A", Parameter: "-----BEGIN PRIVATE KEY-----\nMIIEmarker-5d0e"}},
			want:     []mismatch{{"A", baked.ErrInvalidSelector, `secret "A": invalid parameter name or selector: character 11 is not allowed; want NAME, NAME:VERSION or NAME:LABEL using letters, digits and _.-/`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Match(tt.file, tt.declared)
			if len(got) != len(tt.want) {
				t.Fatalf("Match() = %+v, want %d mismatches", got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Name != w.name || !errors.Is(g.Finding.Reason, w.reason) || g.Finding.Message != w.message || g.Finding.Check != CheckSpec {
					t.Errorf("mismatch %d = %+v, want %s %v %q", i, g, w.name, w.reason, w.message)
				}
			}
		})
	}
}

func TestArnParameter(t *testing.T) {
	t.Parallel()
	for arn, want := range map[string]string{
		"arn:aws:ssm:us-east-1:123456789012:parameter/a/b": "a/b",
		"arn:aws:ssm:us-east-1:123456789012:parameter/x":   "x",
		"arn:aws:ssm:us-east-1:123456789012:document/x":    "",
		"x:parameter/a": "",
		"":              "",
	} {
		if got := arnParameter(arn); got != want {
			t.Errorf("arnParameter(%q) = %q, want %q", arn, got, want)
		}
	}
}

func TestMatchSecretsManager(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
	const v1 = "11111111-1111-1111-1111-111111111111"
	sealed := baked.Entry{ARN: arn, Ciphertext: "AQ", SecretID: "prod/db", VersionID: v1, JSONKey: "password", Context: baked.SealedContext(arn, v1, "password")}
	tests := []struct {
		name     string
		declared Declared
		entry    baked.Entry
		want     error
	}{
		{"by name", Declared{Name: "A", SecretID: "prod/db", JSONKey: "password"}, sealed, nil},
		{"by ARN, pinned", Declared{Name: "A", SecretID: arn, VersionID: v1, JSONKey: "password"}, sealed, nil},
		{"by partial ARN", Declared{Name: "A", SecretID: arn[:len(arn)-7], JSONKey: "password"}, sealed, nil},
		{"a partial ARN of another secret", Declared{Name: "A", SecretID: arn[:len(arn)-10], JSONKey: "password"}, sealed, ErrOtherParameter},
		{"another secret", Declared{Name: "A", SecretID: "prod/api", JSONKey: "password"}, sealed, ErrOtherParameter},
		{"a name that is a prefix", Declared{Name: "A", SecretID: "prod", JSONKey: "password"}, sealed, ErrOtherParameter},
		{"another version", Declared{Name: "A", SecretID: "prod/db", VersionID: "22222222-2222-2222-2222-222222222222", JSONKey: "password"}, sealed, ErrOtherVersion},
		{"another json-key", Declared{Name: "A", SecretID: "prod/db"}, sealed, ErrOtherParameter},
		{"an SSM entry", Declared{Name: "A", SecretID: "prod/db"}, baked.Entry{ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/a", Ciphertext: "AQID", Version: 1}, ErrOtherParameter},
		{"a sealed entry for an SSM secret", Declared{Name: "A", Parameter: "/a"}, sealed, ErrOtherParameter},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Match(baked.File{"A": tt.entry}, []Declared{tt.declared})
			switch {
			case tt.want == nil && len(got) != 0:
				t.Errorf("Match() = %+v, want none", got)
			case tt.want != nil && (len(got) != 1 || !errors.Is(got[0].Finding.Reason, tt.want)):
				t.Errorf("Match() = %+v, want %v", got, tt.want)
			}
		})
	}
}
