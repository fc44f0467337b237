package bake

import (
	"fmt"
	"strconv"
)

// Pin is how a parameter selector picks the version it bakes.
type Pin struct {
	// Name is the parameter name, without the selector.
	Name string
	// Version is the pinned version of "NAME:VERSION", 0 otherwise.
	Version int64
	// Label is the label of "NAME:LABEL", "" otherwise.
	Label string
}

// ParsePin checks selector as Bake does and says how it picks a version.
// SSM labels cannot begin with a digit, so a selector that does is a version.
func ParsePin(selector string) (Pin, error) {
	name, err := baseName(selector)
	if err != nil {
		return Pin{}, err
	}
	suffix := selector[len(name):]
	if suffix == "" {
		return Pin{Name: name}, nil
	}
	suffix = suffix[1:]
	if suffix[0] < '0' || suffix[0] > '9' {
		return Pin{Name: name, Label: suffix}, nil
	}
	v, err := strconv.ParseInt(suffix, 10, 64)
	if err != nil || v < 1 {
		return Pin{}, fmt.Errorf("%w: a version is a whole number from 1, and a label cannot begin with a digit", ErrInvalidParameter)
	}
	return Pin{Name: name, Version: v}, nil
}
