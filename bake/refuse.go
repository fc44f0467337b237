package bake

import (
	"strings"

	"github.com/org/secret-baker/baked"
)

const secretsManagerPrefix = "/aws/reference/secretsmanager/"

// baseName checks a parameter selector before any AWS call and returns the
// parameter name without its selector.
func baseName(ref string) (string, error) {
	sel, err := baked.ParseSelector(ref)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(strings.ToLower(sel.Name), secretsManagerPrefix) {
		return "", ErrSecretsManagerRef
	}
	return sel.Name, nil
}
