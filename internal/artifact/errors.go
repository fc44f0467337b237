package artifact

import (
	"errors"
	"fmt"
)

// Error is an artifact refused: what is wrong, in words that quote no
// content but the names of its files, and the rule broken, for errors.Is.
type Error struct {
	Kind   error // one of the Err values below
	Detail string
}

func (e *Error) Error() string { return e.Detail }
func (e *Error) Unwrap() error { return e.Kind }

// The rules an artifact may break.
var (
	ErrNotFound    = errors.New("no baked file at the artifact's root")
	ErrNotRegular  = errors.New("the baked file is not a regular file")
	ErrTooLarge    = errors.New("the baked file is too large")
	ErrUnsafeEntry = errors.New("an entry's name leads out of the archive")
	ErrDuplicate   = errors.New("the baked file is in the archive more than once")
	ErrEncrypted   = errors.New("the baked file is encrypted")
	ErrMethod      = errors.New("the baked file's compression method is not supported")
	ErrBomb        = errors.New("the baked file is compressed beyond any baked file")
	ErrInvalid     = errors.New("the archive is not a valid zip archive")
)

// refuse returns the refusal of kind, the detail formatted.
func refuse(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}
