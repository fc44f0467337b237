package seal

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/baked"
)

// SMClient is the part of the Secrets Manager client the sealer uses.
type SMClient interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
	DescribeSecret(ctx context.Context, in *secretsmanager.DescribeSecretInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
}

// KMSClient is the part of the KMS client the sealer uses.
type KMSClient interface {
	Encrypt(ctx context.Context, in *kms.EncryptInput, opts ...func(*kms.Options)) (*kms.EncryptOutput, error)
	baked.KMSClient
}

// Secret is a Secrets Manager secret to bake.
type Secret struct {
	Name     string
	SecretID string
	// VersionID pins a version; else the version holding VersionStage.
	VersionID    string
	VersionStage string
	// StageDeclared tells that a pinned version must hold VersionStage.
	StageDeclared bool
	// JSONKey is the field of a JSON value to ship; empty for the whole.
	JSONKey string
}

// Sealer reads and seals Secrets Manager secrets.
type Sealer struct {
	sm          SMClient
	kms         KMSClient
	keyID       string
	previous    baked.File
	mask        func(string)
	concurrency int
	checkARN    func(arn string) error
	values      map[string][]byte // by entry name; see WithValues
}

// Option configures a Sealer.
type Option func(*Sealer)

// WithKey seals under keyID (the kms-key-id); without it each secret's own
// customer managed key is used.
func WithKey(keyID string) Option { return func(s *Sealer) { s.keyID = keyID } }

// WithPrevious offers the previous baked file's entries for reuse.
func WithPrevious(f baked.File) Option { return func(s *Sealer) { s.previous = f } }

// WithMask registers every value read with the runner's log mask.
func WithMask(mask func(string)) Option { return func(s *Sealer) { s.mask = mask } }

// WithAccountCheck has check judge each secret's ARN, as Secrets Manager
// describes it, before its value is read or any KMS call is made for it; an
// error of check fails the run.
func WithAccountCheck(check func(arn string) error) Option {
	return func(s *Sealer) { s.checkARN = check }
}

// WithValues gives the values of entries already decrypted in this run,
// by name, under the key a bundle is sealed with (verification decrypts
// them so): Bundle and CheckBundle decrypt only the entries it lacks. The
// caller keeps the map, and clears it.
func WithValues(values map[string][]byte) Option { return func(s *Sealer) { s.values = values } }

// WithConcurrency bounds the secrets read at once (4 by default).
func WithConcurrency(n int) Option { return func(s *Sealer) { s.concurrency = max(n, 1) } }

// New returns a Sealer reading through sm and sealing through k.
func New(sm SMClient, k KMSClient, opts ...Option) *Sealer {
	s := &Sealer{sm: sm, kms: k, mask: func(string) {}, concurrency: 4}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Seal reads and seals every secret. Secrets that declare the same
// secret, version and stage (a JSON secret's fields, say) share one read, so
// that they all come from one version even while it rotates. It returns the
// entries it could make and, when some secrets cannot be baked, Problems;
// any other error is a failure to reach AWS.
func (s *Sealer) Seal(ctx context.Context, secrets []Secret) (baked.File, error) {
	file := baked.File{}
	var mu sync.Mutex
	problems := make([]*Problem, len(secrets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.concurrency)
	for _, group := range sameReads(secrets) {
		g.Go(func() error {
			key, read, readErr := s.read(gctx, secrets[group[0]])
			defer clear(read.value)
			for _, i := range group {
				sec := secrets[i]
				e, err := baked.Entry{}, readErr // a failed read fails every secret of the group
				if err == nil {
					e, err = s.seal(gctx, sec, key, read)
				}
				var reason reasonError
				switch {
				case errors.As(err, &reason):
					problems[i] = &Problem{Name: sec.Name, Err: reason.error}
				case err != nil:
					return fmt.Errorf("failed to bake secret %q from Secrets Manager: %w", sec.Name, err)
				default:
					mu.Lock()
					file[sec.Name] = e
					mu.Unlock()
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var ps Problems
	for _, p := range problems {
		if p != nil {
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return file, ps
	}
	return file, nil
}

// sameReads groups the indexes of secrets that read the same secret id,
// version and stage, in the order of their first.
func sameReads(secrets []Secret) [][]int {
	type read struct {
		id, version, stage string
		stageDeclared      bool
	}
	at := map[read]int{}
	var groups [][]int
	for i, sec := range secrets {
		r := read{sec.SecretID, sec.VersionID, sec.VersionStage, sec.StageDeclared}
		j, ok := at[r]
		if !ok {
			j = len(groups)
			at[r] = j
			groups = append(groups, nil)
		}
		groups[j] = append(groups[j], i)
	}
	return groups
}

// maxSealed is the most bytes KMS Encrypt takes, so the largest value a
// Secrets Manager secret can be baked with (Secrets Manager holds 65,536).
const maxSealed = baked.MaxBundleChunkSize

// reasonError marks an error as a reason the secret cannot be baked.
type reasonError struct{ error }

// secretRead is one version of a secret as Secrets Manager gave it.
type secretRead struct {
	out   *secretsmanager.GetSecretValueOutput
	value []byte // the SecretString; nil when the read failed
}

// read returns the key to seal sec under and the version of the secret it
// declares, its value masked.
func (s *Sealer) read(ctx context.Context, sec Secret) (string, secretRead, error) {
	key, err := s.sealingKey(ctx, sec)
	if err != nil {
		return "", secretRead{}, err
	}
	in := &secretsmanager.GetSecretValueInput{SecretId: aws.String(sec.SecretID)}
	if sec.VersionID != "" {
		in.VersionId = aws.String(sec.VersionID)
	}
	if sec.VersionID == "" || sec.StageDeclared {
		in.VersionStage = aws.String(sec.VersionStage)
	}
	out, err := s.sm.GetSecretValue(ctx, in)
	if err != nil {
		return "", secretRead{}, smError(err)
	}
	if out.SecretString == nil {
		return "", secretRead{}, reasonError{ErrBinary}
	}
	value := []byte(aws.ToString(out.SecretString))
	s.mask(string(value))
	return key, secretRead{out: out, value: value}, nil
}

// seal returns the entry of sec from the version read, reusing the previous
// ciphertext when it still holds the same value.
func (s *Sealer) seal(ctx context.Context, sec Secret, key string, read secretRead) (baked.Entry, error) {
	value := bytes.Clone(read.value)
	if sec.JSONKey != "" {
		picked, err := field(value, sec.JSONKey)
		clear(value)
		if err != nil {
			return baked.Entry{}, reasonError{err}
		}
		value = picked
		s.mask(string(value))
	}
	defer clear(value)
	switch {
	case len(value) == 0:
		return baked.Entry{}, reasonError{ErrEmpty}
	case len(value) > maxSealed:
		return baked.Entry{}, reasonError{ErrTooLarge}
	}
	out := read.out
	arn, versionID := aws.ToString(out.ARN), aws.ToString(out.VersionId)
	e := baked.Entry{
		ARN: arn, SecretID: sec.SecretID, VersionID: versionID, JSONKey: sec.JSONKey,
		Context: baked.SealedContext(arn, versionID, sec.JSONKey),
	}
	if out.CreatedDate != nil {
		e.Modified = out.CreatedDate.UTC().Truncate(1e9)
	}
	var err error
	if e.Ciphertext, err = s.reuse(ctx, sec.Name, e, key, value); err != nil || e.Ciphertext != "" {
		return e, err
	}
	sealed, err := s.kms.Encrypt(ctx, &kms.EncryptInput{KeyId: aws.String(key), Plaintext: value, EncryptionContext: e.Context})
	if err != nil {
		return baked.Entry{}, fmt.Errorf("failed to seal it with KMS key %s: %w", key, err)
	}
	e.Ciphertext = base64.StdEncoding.EncodeToString(sealed.CiphertextBlob)
	return e, nil
}

// sealingKey returns the key to seal sec under: the configured one, else
// the secret's own when it is customer managed. It describes the secret
// when it needs its key, or its ARN for the account check.
func (s *Sealer) sealingKey(ctx context.Context, sec Secret) (string, error) {
	if s.keyID != "" && s.checkARN == nil {
		return s.keyID, nil
	}
	out, err := s.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(sec.SecretID)})
	if err != nil {
		return "", smError(err)
	}
	if s.checkARN != nil {
		if err := s.checkARN(aws.ToString(out.ARN)); err != nil {
			return "", err
		}
	}
	if out.DeletedDate != nil {
		return "", reasonError{ErrDeleted}
	}
	if s.keyID != "" {
		return s.keyID, nil
	}
	key := aws.ToString(out.KmsKeyId)
	if key == "" || strings.Contains(key, "alias/aws/") {
		return "", reasonError{ErrAWSManagedKey}
	}
	return key, nil
}

// reuse returns the previous file's ciphertext of name when it is an entry
// for the same secret ARN, version and json-key that decrypts, with its
// context and under key, to value; "" otherwise.
func (s *Sealer) reuse(ctx context.Context, name string, e baked.Entry, key string, value []byte) (string, error) {
	prev, ok := s.previous[name]
	if !ok || !prev.SecretsManager() || prev.ARN != e.ARN || prev.VersionID != e.VersionID || prev.JSONKey != e.JSONKey {
		return "", nil
	}
	blob, err := baked.DecodeCiphertext(prev.Ciphertext)
	if err != nil {
		return "", nil
	}
	out, err := s.kms.Decrypt(ctx, &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: e.Context, KeyId: aws.String(key)})
	if err != nil {
		return "", nil // not reusable: seal anew
	}
	defer clear(out.Plaintext)
	if subtle.ConstantTimeCompare(out.Plaintext, value) != 1 {
		return "", nil
	}
	return prev.Ciphertext, nil
}

// smError turns Secrets Manager's answers about the secret into reasons,
// and returns any other error as it is.
func smError(err error) error {
	var (
		notFound *smtypes.ResourceNotFoundException
		invalid  *smtypes.InvalidRequestException
	)
	switch {
	case errors.As(err, &notFound):
		return reasonError{ErrNotFound}
	case errors.As(err, &invalid) && strings.Contains(invalid.ErrorMessage(), "deletion"):
		return reasonError{ErrDeleted}
	case errors.As(err, &invalid) && strings.Contains(invalid.ErrorMessage(), "VersionStage"):
		return reasonError{ErrStage}
	}
	// Refusals about this secret, located at its line; throttling, faults
	// and the network stay failures of the run. AWS's messages name
	// principals, secrets and keys, never a value.
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode() {
		case "AccessDeniedException", "DecryptionFailure", "InvalidParameterException", "InvalidRequestException":
			return reasonError{fmt.Errorf("%w (%s: %s)", ErrRefused, apiErr.ErrorCode(), apiErr.ErrorMessage())}
		}
	}
	return err
}
