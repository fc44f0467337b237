package rules

import (
	"errors"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Violation is one way a plaintext breaks a rule. It never holds the value nor any part of it.
type Violation struct {
	// Reason is the Err* sentinel the violation is about; test it with errors.Is.
	Reason error
	// Message says what failed and why, for a person.
	Message string
	// InstanceLocation is, for schema violations, the JSON pointer of the failing value in the
	// secret's document, with property names the schema does not declare replaced by "*".
	InstanceLocation string
	// KeywordLocation is, for schema violations, the JSON pointer of the failing keyword in the
	// schema document (an absolute URL for keywords in a resource with its own $id).
	KeywordLocation string
}

// Check reports a violation when plaintext does not match the pattern. The message names the
// pattern, which comes from the spec, never the value.
func (r *Regex) Check(plaintext []byte) []Violation {
	if r.re.Match(plaintext) {
		return nil
	}
	return []Violation{{Reason: ErrNoMatch, Message: fmt.Sprintf("does not match `%s`", r)}}
}

// Check parses plaintext as JSON and validates it, reporting every violation.
func (s *Schema) Check(plaintext []byte) []Violation {
	doc, err := DecodeJSON(plaintext)
	if err != nil {
		return []Violation{{Reason: ErrNotJSON, Message: err.Error()}}
	}
	err = s.schema.Validate(doc)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Violation{{Reason: ErrSchema, Message: "does not satisfy the schema"}}
	}
	return violations(ve, doc, declaredProperties(s.schema))
}
