package bake

import "errors"

// errorIs is errors.Is that also matches nil with nil.
func errorIs(err, target error) bool {
	if target == nil {
		return err == nil
	}
	return errors.Is(err, target)
}
