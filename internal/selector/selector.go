// Package selector is the grammar of an SSM parameter selector: NAME, NAME:VERSION or
// NAME:LABEL. It is a leaf: spec checks every declared parameter against it without linking
// AWS, and baked parses the baked file's parameter field with it. Its errors say where and how
// a string departs from the grammar, never what the string holds.
package selector

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ErrInvalid is wrapped by the error for a string that is no valid selector.
var ErrInvalid = errors.New("invalid parameter name or selector")

// Selector is an SSM parameter as declared.
type Selector struct {
	// Name is the parameter name without the selector.
	Name string
	// Version is the version selected, 0 when none is.
	Version int64
	// Label is the label selected, "" when none is.
	Label string
}

// Limits of SSM: the longest parameter name, and the longest version or label.
const (
	maxNameLength     = 1011
	maxSelectorLength = 100
)

// Parse parses a parameter selector: a name of letters, digits and _.-/, optionally followed by
// ":" and a version or label of letters, digits and _.-. A selector of digits only selects a
// version: SSM labels cannot start with a digit.
func Parse(s string) (Selector, error) {
	if problem := check(s); problem != "" {
		return Selector{}, fmt.Errorf("%w: %s; want NAME, NAME:VERSION or NAME:LABEL using letters, digits and _.-/", ErrInvalid, problem)
	}
	name, selected, _ := strings.Cut(s, ":")
	sel := Selector{Name: name}
	if v, err := strconv.ParseInt(selected, 10, 64); err == nil {
		sel.Version = v
	} else {
		sel.Label = selected
	}
	return sel, nil
}

// Valid reports whether s is a valid selector, which a message may quote.
func Valid(s string) bool { return check(s) == "" }

// check returns where and how s departs from the grammar, by position and kind, or "".
func check(s string) string {
	name, selected, pinned := strings.Cut(s, ":")
	if i := strings.IndexFunc(name, notIn(nameChars)); i >= 0 {
		return disallowed(s, i)
	}
	if i := strings.IndexFunc(selected, notIn(selectorChars)); i >= 0 {
		return disallowed(s, len(name)+1+i)
	}
	switch {
	case s == "":
		return "it is empty"
	case name == "":
		return "the name before the ':' is empty"
	case len(name) > maxNameLength:
		return fmt.Sprintf("the name is %d characters long, more than %d", len(name), maxNameLength)
	case pinned && selected == "":
		return "no version or label follows the ':'"
	case len(selected) > maxSelectorLength:
		return fmt.Sprintf("the version or label is %d characters long, more than %d", len(selected), maxSelectorLength)
	}
	return ""
}

// The characters of a name, and of a version or label.
const (
	nameChars     = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-/"
	selectorChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"
)

// notIn returns a test for a rune that is not one of chars.
func notIn(chars string) func(rune) bool {
	return func(r rune) bool { return !strings.ContainsRune(chars, r) }
}

// disallowed says that the character at byte offset i of s is not allowed, naming it by its
// position only, and ':' by name, since it is the grammar's own.
func disallowed(s string, i int) string {
	pos := utf8.RuneCountInString(s[:i]) + 1
	if s[i] == ':' {
		return fmt.Sprintf("character %d is a second ':'", pos)
	}
	return fmt.Sprintf("character %d is not allowed", pos)
}
