package baked

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
)

// ErrInvalidSelector is wrapped by the error for a parameter that is no valid selector.
var ErrInvalidSelector = errors.New("invalid parameter name or selector")

// Selector is an SSM parameter as declared, the grammar of Entry.Parameter: NAME, NAME:VERSION
// or NAME:LABEL.
type Selector struct {
	// Name is the parameter name without the selector.
	Name string
	// Version is the version selected, 0 when none is.
	Version int64
	// Label is the label selected, "" when none is.
	Label string
}

// selectorPattern is SSM's parameter name with an optional ":VERSION" or ":LABEL".
var selectorPattern = regexp.MustCompile(`^(/?[A-Za-z0-9_.\-/]+)(?::([A-Za-z0-9_.\-]{1,100}))?$`)

// maxNameLength is the longest parameter name SSM accepts.
const maxNameLength = 1011

// ParseSelector parses a parameter selector. A selector of digits only selects a version:
// SSM labels cannot start with a digit.
func ParseSelector(s string) (Selector, error) {
	m := selectorPattern.FindStringSubmatch(s)
	if m == nil || len(m[1]) > maxNameLength {
		return Selector{}, fmt.Errorf("%w: want NAME, NAME:VERSION or NAME:LABEL using letters, digits and _.-/", ErrInvalidSelector)
	}
	sel := Selector{Name: m[1]}
	if v, err := strconv.ParseInt(m[2], 10, 64); err == nil {
		sel.Version = v
	} else {
		sel.Label = m[2]
	}
	return sel, nil
}
