package seal

import (
	"errors"
	"fmt"
	"strings"
)

// Reasons a Secrets Manager secret cannot be baked; test with errors.Is.
var (
	ErrAWSManagedKey = errors.New("the secret is encrypted with the AWS managed key aws/secretsmanager, which cannot serve a Lambda function's direct Decrypt: name a customer managed key with kms-key-id")
	ErrNotFound      = errors.New("secret or version not found")
	ErrStage         = errors.New("the version (the pinned version-id, or the baked one) does not hold the version-stage the spec names")
	ErrDeleted       = errors.New("the secret is scheduled for deletion")
	ErrBinary        = errors.New("the secret holds SecretBinary, which is not baked: store it as SecretString (base64 it)")
	ErrNotJSON       = errors.New("the secret's value is not a JSON object, so json-key cannot pick a field of it")
	ErrNoJSONKey     = errors.New("the secret's JSON value has no such key")
	ErrRefused       = errors.New("reading the secret was refused by Secrets Manager")
	ErrNotText       = errors.New("the JSON string at the secret's json-key holds an unpaired surrogate escape, which is not text")
	ErrEmpty         = errors.New("the value to bake is empty (or JSON null), which KMS cannot encrypt")
	ErrTooLarge      = errors.New("the value to bake is longer than the 4,096 bytes KMS Encrypt takes: bake a json-key of it, or keep it in SSM or S3")
)

// Problem is why one secret cannot be baked.
type Problem struct {
	Name string
	// Err wraps one of the Err* reasons; it never holds the value.
	Err error
}

func (p *Problem) Error() string { return fmt.Sprintf("secret %q: %v", p.Name, p.Err) }
func (p *Problem) Unwrap() error { return p.Err }

// Problems lists every secret that cannot be baked, in the order given.
type Problems []*Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return fmt.Sprintf("%d Secrets Manager secret(s) cannot be baked:\n%s", len(ps), strings.Join(lines, "\n"))
}

// Unwrap returns each problem, so that errors.Is finds their reasons.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}
