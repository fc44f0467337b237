package main

import (
	"errors"
	"fmt"
	"regexp"
)

// variablePattern is the grammar of an environment variable name that every
// runtime and shell accepts.
var variablePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// variables maps each secret name, in order, to the environment variable it
// sets: the name after the prefix. It refuses, naming every secret at fault,
// a variable name that is not valid, one that is reserved, and one already
// set in env unless s.override.
func variables(names []string, s settings, env map[string]string) ([]string, error) {
	vars := make([]string, len(names))
	var errs []error
	for i, name := range names {
		v := s.prefix + name
		vars[i] = v
		_, set := env[v]
		switch {
		case !variablePattern.MatchString(v):
			// Not quoted: it failed the grammar it was meant to have.
			errs = append(errs, fmt.Errorf("secret %q: with %s, its variable name is not a valid environment variable name (%s)", name, prefixVar, variablePattern))
		case reserved(v):
			errs = append(errs, fmt.Errorf("secret %q: %s is reserved by Lambda or the runtime", name, v))
		case set && !s.override:
			errs = append(errs, fmt.Errorf("secret %q: %s is already set in the function's environment (set %s=true to replace it)", name, v, overrideVar))
		}
	}
	return vars, errors.Join(errs...)
}
