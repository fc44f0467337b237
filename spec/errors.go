package spec

import (
	"fmt"
	"strconv"
)

// Location is a position in a spec file. Line and Column are 1-based; 0 means unknown.
type Location struct {
	File   string
	Line   int
	Column int
}

// String formats the location as "file:line:column", leaving out unknown parts.
func (l Location) String() string {
	switch {
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return l.File + ":" + strconv.Itoa(l.Line)
	default:
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
	}
}

// Error is one problem in a spec, located where it was written.
type Error struct {
	Location Location
	Message  string
}

// Error formats the error as "file:line:column: message".
func (e *Error) Error() string { return e.Location.String() + ": " + e.Message }

// Errors returns the located errors that err holds, in order. Load, Parse and
// ParseSecrets join every problem they find, so callers can annotate each one.
func Errors(err error) []*Error {
	switch e := err.(type) {
	case *Error:
		return []*Error{e}
	case interface{ Unwrap() []error }:
		var all []*Error
		for _, inner := range e.Unwrap() {
			all = append(all, Errors(inner)...)
		}
		return all
	case interface{ Unwrap() error }:
		return Errors(e.Unwrap())
	default:
		return nil
	}
}
