package seal

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/baked"
)

// Reasons a sealed entry is not the one Secrets Manager holds; test with
// errors.Is.
var (
	ErrOtherARN   = errors.New("the entry's secret ARN is not the one Secrets Manager answers (another partition, region, account or secret)")
	ErrOtherValue = errors.New("the entry does not decrypt, with its context, to the value Secrets Manager holds for its version: it was altered, or sealed from another secret or version")
)

// Sealed is a baked Secrets Manager entry and the secret the spec declares.
type Sealed struct {
	Secret Secret
	Entry  baked.Entry
}

// Check establishes that each entry is the value Secrets Manager holds for
// exactly its version: it reads that version by the secret id the spec
// declares and the entry's version id (holding the declared stage, when the
// spec names one), requires Secrets Manager's ARN for it to be the entry's,
// and decrypts the
// entry with its context, under key when one is required, to compare the two
// in memory. It returns why each entry that is not fails; its error is a
// failure to reach AWS.
func (s *Sealer) Check(ctx context.Context, sealed []Sealed, key string) (map[string]error, error) {
	refused := map[string]error{}
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	for _, sl := range sealed {
		g.Go(func() error {
			reason, err := s.check(gctx, sl, key)
			if err != nil {
				return fmt.Errorf("failed to check secret %q against Secrets Manager: %w", sl.Secret.Name, err)
			}
			if reason != nil {
				mu.Lock()
				refused[sl.Secret.Name] = reason
				mu.Unlock()
			}
			return nil
		})
	}
	return refused, g.Wait()
}

// check checks one sealed entry.
func (s *Sealer) check(ctx context.Context, sl Sealed, key string) (reason, err error) {
	e := sl.Entry
	// By the spec's id, never the file's ARN: a file that names another
	// account's or region's secret of the same name gets that secret's ARN
	// refused, not read.
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(sl.Secret.SecretID), VersionId: aws.String(e.VersionID)}
	if sl.Secret.StageDeclared {
		in.VersionStage = aws.String(sl.Secret.VersionStage)
	}
	out, err := s.sm.GetSecretValue(ctx, in)
	if err != nil {
		var r reasonError
		if err = smError(err); errors.As(err, &r) {
			return r.error, nil
		}
		return nil, err
	}
	if aws.ToString(out.ARN) != e.ARN {
		return ErrOtherARN, nil
	}
	if out.SecretString == nil {
		return ErrBinary, nil
	}
	value := []byte(aws.ToString(out.SecretString))
	s.mask(string(value))
	defer clear(value)
	if e.JSONKey != "" {
		picked, err := field(value, e.JSONKey)
		if err != nil {
			return err, nil
		}
		defer clear(picked)
		value = picked
	}
	blob, err := baked.DecodeCiphertext(e.Ciphertext)
	if err != nil {
		return ErrOtherValue, nil
	}
	din := &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: e.EncryptionContext()}
	if key != "" {
		din.KeyId = aws.String(key)
	}
	plain, err := s.kms.Decrypt(ctx, din)
	var (
		invalid *kmstypes.InvalidCiphertextException
		apiErr  smithy.APIError
	)
	switch {
	case errors.As(err, &invalid):
		return ErrOtherValue, nil
	case errors.As(err, &apiErr):
		// A refusal or an unusable key: verification's own Decrypt of the
		// entry reports it, with KMS's reason.
		return nil, nil
	case err != nil:
		return nil, err
	}
	s.mask(string(plain.Plaintext))
	defer clear(plain.Plaintext)
	if subtle.ConstantTimeCompare(plain.Plaintext, value) != 1 {
		return ErrOtherValue, nil
	}
	return nil, nil
}
