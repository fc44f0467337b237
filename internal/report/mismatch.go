package report

import (
	"errors"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/verify"
)

// mismatchTitles title the findings of verify.Match by their reason.
var mismatchTitles = []struct {
	reason error
	title  string
}{
	{verify.ErrMissing, "Secret missing from the baked file"},
	{verify.ErrOtherParameter, "Secret baked from another parameter"},
	{verify.ErrOtherVersion, "Secret baked from another version"},
	{verify.ErrUndeclared, "Secret not declared in the spec"},
	{baked.ErrInvalidSelector, "Invalid parameter selector"},
}

func mismatchTitle(reason error) string {
	for _, m := range mismatchTitles {
		if errors.Is(reason, m.reason) {
			return m.title
		}
	}
	return "Baked file does not match the spec"
}
