package bake

import (
	"context"
	"errors"

	"github.com/org/secret-baker/baked"
)

// Read reads each parameter selector as Bake reads a secret's, in GetParameters calls of up
// to BatchSize names without decryption, and returns the entries by selector, with the reason
// SSM had none (wrapping an Err* reason) for each other selector. The error is for failures to
// reach SSM.
func (b *Baker) Read(ctx context.Context, selectors []string) (baked.File, map[string]error, error) {
	secrets := make([]Secret, len(selectors))
	for i, sel := range selectors {
		secrets[i] = Secret{Name: sel, Parameter: sel}
	}
	found, err := b.Bake(ctx, secrets)
	var problems Problems
	if err != nil && !errors.As(err, &problems) {
		return nil, nil, err
	}
	missing := make(map[string]error, len(problems))
	for _, p := range problems {
		missing[p.Name] = p.Err
	}
	return found, missing, nil
}
