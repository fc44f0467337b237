package baked

import "github.com/org/secret-baker/internal/selector"

// ErrInvalidSelector is wrapped by the error for a parameter that is no valid selector.
var ErrInvalidSelector = selector.ErrInvalid

// Selector is an SSM parameter as declared, the grammar of Entry.Parameter: NAME, NAME:VERSION
// or NAME:LABEL.
type Selector = selector.Selector

// ParseSelector parses a parameter selector. A selector of digits only selects a version:
// SSM labels cannot start with a digit. Its error says where and how s departs from the
// grammar, never what s holds.
func ParseSelector(s string) (Selector, error) { return selector.Parse(s) }
