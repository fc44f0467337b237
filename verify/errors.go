package verify

import "errors"

// ErrRequiredKey is returned by Verify when the required key does not exist or is AWS managed.
var ErrRequiredKey = errors.New("unusable required key")

// Reasons of findings (Finding.Reason); test with errors.Is.
var (
	ErrNotBase64         = errors.New("ciphertext is not base64")
	ErrInvalidCiphertext = errors.New("ciphertext does not decrypt with its encryption context")
	ErrKeyUnusable       = errors.New("KMS key cannot decrypt")
	ErrAccessDenied      = errors.New("access denied by KMS")
	ErrWrongKey          = errors.New("not encrypted with the required key")
	ErrAWSManagedKey     = errors.New("encrypted with an AWS managed key")
)

// The reasons of regex and schema findings are rules.ErrNoMatch, rules.ErrNotJSON and
// rules.ErrSchema.
