package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/leakcheck"
)

// leakMarker is in every secret value the tests use, so that no output may contain it.
const leakMarker = "LEAK"

// mustSchema compiles a schema given as JSON text.
func mustSchema(t *testing.T, text string) *Schema {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	s, err := CompileSchema("test", doc)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchemaCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		schema string
		doc    string
		want   []string // InstanceLocation | KeywordLocation | Message
	}{
		{
			name: "every violation of an object",
			schema: `{
				"type": "object",
				"required": ["user", "password", "host"],
				"properties": {
					"user": {"type": "string", "pattern": "^[a-z]+$"},
					"password": {"type": "string", "minLength": 12},
					"email": {"format": "email"},
					"port": {"type": "integer", "minimum": 1024, "maximum": 65535},
					"mode": {"enum": ["a", "b"]},
					"tier": {"const": "gold"},
					"tags": {"type": "array", "items": {"type": "string", "maxLength": 3}},
					"ratio": {"multipleOf": 0.5, "exclusiveMaximum": 2.5}
				},
				"propertyNames": {"maxLength": 20},
				"additionalProperties": false
			}`,
			doc: `{"user": "LEAK-Upper", "password": "LEAK-short", "email": "LEAK-not-an-email", "port": 99999123,
				"mode": "LEAK-mode", "tier": "LEAK-tier", "tags": ["ok", "LEAK-long-tag"], "LEAK-extra": 1,
				"ratio": 3.25, "LEAK-very-long-property-name": 1}`,
			want: []string{
				`|/additionalProperties|(root): has 2 properties not allowed by additionalProperties (names withheld) (schema /additionalProperties)`,
				`|/propertyNames|(root): has a property name that does not satisfy propertyNames (name withheld) (schema /propertyNames)`,
				`|/required|(root): missing required property "host" (schema /required)`,
				`/email|/properties/email/format|/email: is not a valid email (format) (schema /properties/email/format)`,
				`/mode|/properties/mode/enum|/mode: is not one of the 2 values allowed by enum (schema /properties/mode/enum)`,
				`/password|/properties/password/minLength|/password: has length 10, want at least 12 (schema /properties/password/minLength)`,
				`/port|/properties/port/maximum|/port: is greater than the maximum 65535 (schema /properties/port/maximum)`,
				`/ratio|/properties/ratio/exclusiveMaximum|/ratio: is not less than the exclusive maximum 2.5 (schema /properties/ratio/exclusiveMaximum)`,
				`/ratio|/properties/ratio/multipleOf|/ratio: is not a multiple of 0.5 (schema /properties/ratio/multipleOf)`,
				`/tags/1|/properties/tags/items/maxLength|/tags/1: has length 13, want at most 3 (schema /properties/tags/items/maxLength)`,
				`/tier|/properties/tier/const|/tier: is not the value required by const (schema /properties/tier/const)`,
				`/user|/properties/user/pattern|/user: does not match pattern ` + "`^[a-z]+$`" + ` (schema /properties/user/pattern)`,
			},
		},
		{
			name: "undeclared property names are withheld from locations",
			schema: `{
				"properties": {"a/b": {"$ref": "#/$defs/map"}},
				"patternProperties": {"^L": {"type": "array", "items": {"type": "integer"}}},
				"$defs": {"map": {"additionalProperties": {"type": "integer", "minimum": 0}}}
			}`,
			doc: `{"a/b": {"LEAK-key": -5}, "LEAK-list": [1, "LEAK-item"]}`,
			want: []string{
				`/*/1|/patternProperties/^L/items/type|/*/1: got string, want integer (schema /patternProperties/^L/items/type)`,
				`/a~1b/*|/$defs/map/additionalProperties/minimum|/a~1b/*: is less than the minimum 0 (schema /$defs/map/additionalProperties/minimum)`,
			},
		},
		{
			name: "arrays",
			schema: `{
				"type": "array", "minItems": 5, "uniqueItems": true,
				"contains": {"type": "integer"}, "minContains": 2,
				"prefixItems": [false]
			}`,
			doc: `["LEAK-1", "LEAK-1"]`,
			want: []string{
				`|/minContains|(root): has 0 items that satisfy contains, want at least 2 (schema /minContains)`,
				`|/minItems|(root): has 2 items, want at least 5 (schema /minItems)`,
				`|/uniqueItems|(root): has equal items at 0 and 1 (uniqueItems) (schema /uniqueItems)`,
				`/0|/prefixItems/0|/0: is not allowed (false schema) (schema /prefixItems/0)`,
			},
		},
		{
			name: "combinators",
			schema: `{
				"oneOf": [{"type": "integer"}, {"minimum": 1}],
				"not": {"const": 77777},
				"dependentRequired": {"x": ["y"]}
			}`,
			doc: `77777`,
			want: []string{
				`|/not|(root): satisfies the schema under not (schema /not)`,
				`|/oneOf|(root): satisfies more than one oneOf subschema (0 and 1) (schema /oneOf)`,
			},
		},
		{
			name:   "anyOf reports each branch",
			schema: `{"anyOf": [{"type": "integer"}, {"type": "string", "maxLength": 2}], "minProperties": 2, "dependentRequired": {"x": ["y", "z"]}}`,
			doc:    `{"x": "LEAK"}`,
			want: []string{
				`|/anyOf/0/type|(root): got object, want integer (schema /anyOf/0/type)`,
				`|/anyOf/1/type|(root): got object, want string (schema /anyOf/1/type)`,
				`|/dependentRequired/x|(root): has property "x", which requires properties "y", "z" (schema /dependentRequired/x)`,
				`|/minProperties|(root): has 1 property, want at least 2 (schema /minProperties)`,
			},
		},
		{
			name:   "root type",
			schema: `{"type": "object"}`,
			doc:    `"LEAK-string"`,
			want:   []string{`|/type|(root): got string, want object (schema /type)`},
		},
		{
			name:   "keyword in a resource with its own $id",
			schema: `{"properties": {"n": {"$ref": "https://example.com/port"}}, "$defs": {"p": {"$id": "https://example.com/port", "type": "integer"}}}`,
			doc:    `{"n": "LEAK"}`,
			want:   []string{`/n|/$defs/p/type|/n: got string, want integer (schema /$defs/p/type)`},
		},
		{
			name:   "valid",
			schema: `{"type": "object", "required": ["a"]}`,
			doc:    `{"a": "LEAK"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			findings := mustSchema(t, tt.schema).Check([]byte(tt.doc))
			var got []string
			for _, f := range findings {
				if !errors.Is(f.Reason, ErrSchema) {
					t.Errorf("violation %+v: want reason ErrSchema", f)
				}
				got = append(got, f.InstanceLocation+"|"+f.KeywordLocation+"|"+f.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("findings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			leakcheck.AssertNotRendered(t, findings, leakMarker, "99999123", "3.25", "77777")
		})
	}
}

func TestDecodeJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc     string
		wantErr string // empty: valid
	}{
		{doc: ` {"a": [1, 2.5e3, null]} ` + "\n"},
		{doc: `LEAK-not-json`, wantErr: "not valid JSON: syntax error at byte 1"},
		{doc: `{"a": LEAK}`, wantErr: "not valid JSON: syntax error at byte 7"},
		{doc: `{"a": "LEAK`, wantErr: "not valid JSON: unexpected end at byte 11"},
		{doc: `{} LEAK`, wantErr: "not valid JSON: unexpected data after the value at byte 3"},
		{doc: `"LEAK" "LEAK"`, wantErr: "not valid JSON: unexpected data after the value at byte 7"},
		{doc: "  \n", wantErr: "not valid JSON: empty"},
	}
	for _, tt := range tests {
		t.Run(tt.doc, func(t *testing.T) {
			t.Parallel()
			_, err := DecodeJSON([]byte(tt.doc))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("DecodeJSON() = %v, want nil", err)
				}
				return
			}
			if !errors.Is(err, ErrNotJSON) || err.Error() != tt.wantErr {
				t.Errorf("DecodeJSON() = %v, want %q (ErrNotJSON)", err, tt.wantErr)
			}
		})
	}
}

func TestRegexCheck(t *testing.T) {
	t.Parallel()
	re, err := CompileRegex(`^tok_[0-9a-f]{4}$`)
	if err != nil {
		t.Fatal(err)
	}
	if got := re.Check([]byte("tok_09af")); got != nil {
		t.Errorf("Check(match) = %+v, want none", got)
	}
	got := re.Check([]byte("LEAK-tok_09af"))
	want := []Violation{{Reason: ErrNoMatch, Message: "does not match `^tok_[0-9a-f]{4}$`"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Check(mismatch) = %+v, want %+v", got, want)
	}
}
