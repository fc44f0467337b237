package rules

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCompileRegex(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern string
		wantErr string // empty: must compile
	}{
		{pattern: `^tok_[A-Za-z0-9]{32}$`},
		{pattern: `^(?P<user>[a-z]+):(?<pass>\S+)$`},
		{pattern: `\(?=`},          // literal paren, optional '='
		{pattern: `[(?=]`},         // class members, no look-ahead
		{pattern: `\Q(?=\1\E`},     // quoted text
		{pattern: `(?i-s:x)\12`},   // flags and an octal escape
		{pattern: `a+?b*?\x{41}+`}, // lazy quantifiers, a counted-looking hex escape
		{pattern: `(?=x)`, wantErr: "invalid regex: look-ahead `(?=` is not supported by Go's RE2 syntax"},
		{pattern: `a(?!x)`, wantErr: "invalid regex: negative look-ahead `(?!` is not supported by Go's RE2 syntax"},
		{pattern: `(?<=x)a`, wantErr: "invalid regex: look-behind `(?<=` is not supported by Go's RE2 syntax"},
		{pattern: `(?<!x)a`, wantErr: "invalid regex: negative look-behind `(?<!` is not supported by Go's RE2 syntax"},
		{pattern: `(?>ab|a)c`, wantErr: "invalid regex: atomic group `(?>` is not supported by Go's RE2 syntax; use a non-capturing group `(?:...)`"},
		{pattern: `(a)\1`, wantErr: "invalid regex: backreference `\\1` is not supported by Go's RE2 syntax"},
		{pattern: `(a)\9`, wantErr: "invalid regex: backreference `\\9` is not supported by Go's RE2 syntax"},
		{pattern: `(?<n>a)\k<n>`, wantErr: "invalid regex: named backreference `\\k` is not supported by Go's RE2 syntax"},
		{pattern: `(?P<n>a)(?P=n)`, wantErr: "invalid regex: named backreference `(?P=` is not supported by Go's RE2 syntax"},
		{pattern: `(a)\g{1}`, wantErr: "invalid regex: backreference `\\g` is not supported by Go's RE2 syntax"},
		{pattern: `a*+`, wantErr: "invalid regex: possessive quantifier `*+` is not supported by Go's RE2 syntax; drop the trailing `+`"},
		{pattern: `a++`, wantErr: "invalid regex: possessive quantifier `++` is not supported by Go's RE2 syntax; drop the trailing `+`"},
		{pattern: `a?+`, wantErr: "invalid regex: possessive quantifier `?+` is not supported by Go's RE2 syntax; drop the trailing `+`"},
		{pattern: `a{2,5}+`, wantErr: "invalid regex: possessive quantifier `{2,5}+` is not supported by Go's RE2 syntax; drop the trailing `+`"},
		{pattern: `\Ga`, wantErr: "invalid regex: start-of-match anchor `\\G` is not supported by Go's RE2 syntax"},
		{pattern: `a\Z`, wantErr: "invalid regex: end-of-subject anchor `\\Z` is not supported by Go's RE2 syntax; use `\\z` or `$`"},
		{pattern: `a\Kb`, wantErr: "invalid regex: match reset `\\K` is not supported by Go's RE2 syntax"},
		{pattern: `(a)?(?(1)b|c)`, wantErr: "invalid regex: conditional group `(?(` is not supported by Go's RE2 syntax"},
		{pattern: `\((?:[^()]|(?R))*\)`, wantErr: "invalid regex: recursion `(?R` is not supported by Go's RE2 syntax"},
		{pattern: `(a|b(?1))`, wantErr: "invalid regex: recursion `(?1` is not supported by Go's RE2 syntax"},
		{pattern: `(a)(?-1)`, wantErr: "invalid regex: recursion `(?-1` is not supported by Go's RE2 syntax"},
		{pattern: `(?<n>a)(?&n)`, wantErr: "invalid regex: subroutine call `(?&` is not supported by Go's RE2 syntax"},
		{pattern: `(?P<n>a)(?P>n)`, wantErr: "invalid regex: subroutine call `(?P>` is not supported by Go's RE2 syntax"},
		{pattern: `a(?#note)`, wantErr: "invalid regex: comment group `(?#` is not supported by Go's RE2 syntax"},
		{pattern: `(?|(a)|(b))`, wantErr: "invalid regex: branch reset group `(?|` is not supported by Go's RE2 syntax"},
		// Not PCRE constructs, or not where the compiler failed: Go's own reason.
		{pattern: `(abc`, wantErr: "invalid regex: missing closing ) (characters 1 to 4)"},
		{pattern: `[\1]`, wantErr: "invalid regex: invalid escape sequence (characters 2 to 3)"},
		{pattern: `\(?=(`, wantErr: "invalid regex: missing closing ) (characters 1 to 5)"},
		{pattern: `[z-a](?=x)`, wantErr: "invalid regex: invalid character class range (characters 2 to 4)"},
		{pattern: `a**`, wantErr: "invalid regex: invalid nested repetition operator (characters 2 to 3)"},
		{pattern: "é[pass\\word-marker", wantErr: "invalid regex: missing closing ] (characters 2 to 18)"},
		{pattern: "pass)marker", wantErr: "invalid regex: unexpected ) (characters 1 to 11)"},
	}
	for _, tt := range tests {
		t.Run(tt.pattern, func(t *testing.T) {
			t.Parallel()
			re, err := CompileRegex(tt.pattern)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("CompileRegex(%q) error = %v, want %q", tt.pattern, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("CompileRegex(%q) error = %v", tt.pattern, err)
			}
			if got := re.String(); got != tt.pattern {
				t.Errorf("String() = %q, want %q", got, tt.pattern)
			}
		})
	}
}

func TestCompileRegexExample(t *testing.T) {
	t.Parallel()
	re, err := CompileRegex(`^tok_[A-Za-z0-9]{32}$`)
	if err != nil {
		t.Fatal(err)
	}
	for value, want := range map[string]bool{
		"tok_" + strings.Repeat("a", 32): true,
		"tok_" + strings.Repeat("a", 31): false,
	} {
		if got := re.re.MatchString(value); got != want {
			t.Errorf("match of a %d-byte token = %v, want %v", len(value), got, want)
		}
	}
}

// decode parses a JSON document the way schema files are read: numbers as json.Number.
func decode(t *testing.T, doc string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestCompileSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		doc     string
		wantErr string
	}{
		{name: "object", doc: `{"type": "object", "required": ["host"], "properties": {"host": {"type": "string"}, "port": {"type": "integer", "maximum": 65535}}}`},
		{name: "boolean", doc: `true`},
		{name: "internal ref", doc: `{"$defs": {"h": {"type": "string"}}, "$ref": "#/$defs/h"}`},
		{name: "draft-07", doc: `{"$schema": "http://json-schema.org/draft-07/schema#", "type": "string"}`},
		{
			name:    "unknown type",
			doc:     `{"type": "strin"}`,
			wantErr: `invalid JSON Schema: at "/type": got string, want array; at "/type": value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'`,
		},
		{
			name:    "wrong keyword types",
			doc:     `{"minLength": "x", "required": "host"}`,
			wantErr: `invalid JSON Schema: at "/minLength": got string, want integer; at "/required": got string, want array`,
		},
		{
			name:    "not an object",
			doc:     `"string"`,
			wantErr: `invalid JSON Schema: at "/": got string, want boolean or object`,
		},
		{
			name:    "invalid pattern",
			doc:     `{"pattern": "(?=x)"}`,
			wantErr: "invalid JSON Schema: at \"/pattern\": '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
		},
		{
			name:    "remote ref",
			doc:     `{"$ref": "https://example.com/x.json"}`,
			wantErr: `invalid JSON Schema: cannot load "https://example.com/x.json": external schemas are not loaded, keep $ref and $schema inside the document`,
		},
		{
			name:    "relative file ref",
			doc:     `{"$ref": "other.json"}`,
			wantErr: `invalid JSON Schema: cannot load "other.json": external schemas are not loaded, keep $ref and $schema inside the document`,
		},
		{
			name:    "absolute file ref",
			doc:     `{"$ref": "file:///etc/passwd"}`,
			wantErr: `invalid JSON Schema: cannot load "file:///etc/passwd": external schemas are not loaded, keep $ref and $schema inside the document`,
		},
		{
			name:    "unknown meta-schema",
			doc:     `{"$schema": "https://example.com/meta"}`,
			wantErr: `invalid JSON Schema: cannot load "https://example.com/meta": external schemas are not loaded, keep $ref and $schema inside the document`,
		},
		{
			name:    "dangling pointer",
			doc:     `{"$ref": "#/$defs/nope"}`,
			wantErr: `invalid JSON Schema: json-pointer in "#/$defs/nope" not found`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := CompileSchema("schemas/x.json", decode(t, tt.doc))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("CompileSchema() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("CompileSchema() error = %v", err)
			}
			if got := s.String(); got != "schemas/x.json" {
				t.Errorf("String() = %q, want %q", got, "schemas/x.json")
			}
		})
	}
}

func TestCompileSchemaExample(t *testing.T) {
	t.Parallel()
	s, err := CompileSchema("inline schema", map[string]any{
		"type":     "object",
		"required": []any{"url"},
		"properties": map[string]any{
			"url":     map[string]any{"type": "string", "format": "uri"},
			"retries": map[string]any{"type": "integer", "minimum": 0},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		doc   string
		valid bool
	}{
		{doc: `{"url": "https://example.com", "retries": 3}`, valid: true},
		{doc: `{"url": "not a uri"}`, valid: false}, // format is asserted
		{doc: `{"retries": -1}`, valid: false},
	}
	for _, tt := range tests {
		if err := s.schema.Validate(decode(t, tt.doc)); (err == nil) != tt.valid {
			t.Errorf("Validate(%s) error = %v, want valid %v", tt.doc, err, tt.valid)
		}
	}
}
