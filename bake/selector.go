package bake

import (
	"fmt"
	"regexp"
	"strings"
)

// parameterRef is SSM's parameter name with an optional ":VERSION" or
// ":LABEL" selector.
var parameterRef = regexp.MustCompile(`^(/?[A-Za-z0-9_.\-/]+)(?::([A-Za-z0-9_.\-]{1,100}))?$`)

// maxNameLength is the longest parameter name SSM accepts.
const maxNameLength = 1011

const secretsManagerPrefix = "/aws/reference/secretsmanager/"

// baseName checks a parameter selector before any AWS call and returns the
// parameter name without its selector.
func baseName(ref string) (string, error) {
	m := parameterRef.FindStringSubmatch(ref)
	if m == nil || len(m[1]) > maxNameLength {
		return "", fmt.Errorf("%w: want NAME, NAME:VERSION or NAME:LABEL using letters, digits and _.-/", ErrInvalidParameter)
	}
	if strings.HasPrefix(strings.ToLower(m[1]), secretsManagerPrefix) {
		return "", ErrSecretsManagerRef
	}
	return m[1], nil
}
