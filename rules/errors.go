package rules

import "errors"

// Reasons of violations (Violation.Reason); test with errors.Is.
var (
	ErrNoMatch = errors.New("does not match the regex")
	ErrNotJSON = errors.New("not valid JSON")
	ErrSchema  = errors.New("does not satisfy the JSON Schema")
)
