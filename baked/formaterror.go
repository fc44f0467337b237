package baked

import (
	"fmt"
	"strconv"
)

// FormatError says why Parse, or New for a ciphertext, refused a file: the
// rule it breaks, and where.
// Its message gives byte offsets, and only the keys that match NamePattern,
// never other content of the file.
type FormatError struct {
	// Kind is the rule broken, named alike by the Python and Node.js readers:
	// "utf8", "bom", "syntax", "trailing", "surrogate", "duplicate", "case",
	// "type", "name", "unknown", "missing", "empty", "version", "modified",
	// "mixed", "context", "ciphertext" or "bundle", as the README's file format section
	// describes them.
	Kind string
	msg  string
}

// The kinds of FormatError.
const (
	kindUTF8       = "utf8"
	kindBOM        = "bom"
	kindSyntax     = "syntax"
	kindTrailing   = "trailing"
	kindSurrogate  = "surrogate"
	kindDuplicate  = "duplicate"
	kindCase       = "case"
	kindType       = "type"
	kindName       = "name"
	kindUnknown    = "unknown"
	kindMissing    = "missing"
	kindEmpty      = "empty"
	kindVersion    = "version"
	kindModified   = "modified"
	kindMixed      = "mixed"
	kindContext    = "context"
	kindCiphertext = "ciphertext"
	kindBundle     = "bundle"
)

func (e *FormatError) Error() string { return ErrMalformed.Error() + ": " + e.msg }

// Unwrap returns ErrMalformed.
func (e *FormatError) Unwrap() error { return ErrMalformed }

// malformed returns the FormatError of kind at byte offset at.
func malformed(kind string, at int, format string, args ...any) error {
	return &FormatError{Kind: kind, msg: fmt.Sprintf(format, args...) + " at byte " + strconv.Itoa(at)}
}

// orSyntax returns err, or when it is nil the syntax error of a token at at
// that is not the one expected.
func orSyntax(err error, at int, expected string) error {
	if err != nil {
		return err
	}
	return malformed(kindSyntax, at, "expected %s", expected)
}

// quoted returns key quoted after a space when it matches NamePattern, which
// a message may show, and "" otherwise.
func quoted(key string) string {
	if !validName(key) {
		return ""
	}
	return " " + strconv.Quote(key)
}
