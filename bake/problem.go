package bake

import (
	"errors"
	"fmt"
	"strings"

	"github.com/org/secret-baker/internal/selector"
)

// Reasons a secret cannot be baked, besides baked.ErrInvalidSelector; test with errors.Is.
var (
	ErrSecretsManagerRef    = errors.New("a Secrets Manager reference cannot be baked: SSM returns no ciphertext for it")
	ErrNotFound             = errors.New("parameter or version not found")
	ErrNotSecureString      = errors.New("not a SecureString")
	ErrAdvancedTier         = errors.New("advanced-tier value (an AWS Encryption SDK message) cannot be opened by KMS Decrypt")
	ErrUnexpectedCiphertext = errors.New("value is not base64 ciphertext")
)

// Problem is why one secret cannot be baked.
type Problem struct {
	// Name is the secret's name.
	Name string
	// Parameter is the parameter selector as declared; Error quotes it only when it is a valid
	// selector.
	Parameter string
	// Err says what is wrong; it wraps one of the Err* reasons or baked.ErrInvalidSelector.
	Err error
}

// Error implements error.
func (p *Problem) Error() string {
	if !selector.Valid(p.Parameter) {
		return fmt.Sprintf("secret %q: %v", p.Name, p.Err)
	}
	return fmt.Sprintf("secret %q (parameter %q): %v", p.Name, p.Parameter, p.Err)
}

// Unwrap returns the reason.
func (p *Problem) Unwrap() error { return p.Err }

// Problems lists every secret that cannot be baked, in declaration order.
type Problems []*Problem

// Error implements error.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return fmt.Sprintf("%d secret(s) cannot be baked:\n%s", len(ps), strings.Join(lines, "\n"))
}

// Unwrap returns each problem, so that errors.Is finds their reasons.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}
