package verify

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
)

// keyCache describes each KMS key once per Verify call, however many secrets, in however many
// goroutines, ask for it.
type keyCache struct {
	client kmsAPI
	mu     sync.Mutex
	keys   map[string]*keyLookup // by the identifier asked for: a key ARN from Decrypt
}

// keyLookup is the DescribeKey answer for one key, made once.
type keyLookup struct {
	once sync.Once
	meta *types.KeyMetadata
	err  error
}

func newKeyCache(client kmsAPI) *keyCache {
	return &keyCache{client: client, keys: map[string]*keyLookup{}}
}

// describe returns the metadata of the key id, calling DescribeKey only the first time.
func (c *keyCache) describe(ctx context.Context, id string) (*types.KeyMetadata, error) {
	c.mu.Lock()
	l, ok := c.keys[id]
	if !ok {
		l = &keyLookup{}
		c.keys[id] = l
	}
	c.mu.Unlock()
	l.once.Do(func() {
		out, err := c.client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(id)})
		if err != nil {
			l.err = err
			return
		}
		l.meta = out.KeyMetadata
	})
	return l.meta, l.err
}

// requiredKey is the key every secret must be encrypted with.
type requiredKey struct {
	given string // as the caller named it: alias, key ID or ARN
	arn   string
}

// resolveRequired describes the required key and remembers it under its ARN, so that secrets
// encrypted with it cost no further DescribeKey. A key that does not exist or is AWS managed
// is refused with ErrRequiredKey.
func (c *keyCache) resolveRequired(ctx context.Context, key string) (*requiredKey, error) {
	out, err := c.client.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(key)})
	if notFound := (*types.NotFoundException)(nil); errors.As(err, &notFound) {
		return nil, fmt.Errorf("%w: key %s not found", ErrRequiredKey, key)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to describe required key %s: %w", key, err)
	}
	meta := out.KeyMetadata
	if meta.KeyManager == types.KeyManagerTypeAws {
		return nil, fmt.Errorf("%w: %s is an AWS managed key, which Lambda functions cannot use for kms:Decrypt; require a customer managed key", ErrRequiredKey, key)
	}
	arn := aws.ToString(meta.Arn)
	l := &keyLookup{meta: meta}
	l.once.Do(func() {}) // already answered
	c.mu.Lock()
	c.keys[arn] = l
	c.mu.Unlock()
	return &requiredKey{given: key, arn: arn}, nil
}

// String names the key as given, with its ARN when that is another name.
func (k *requiredKey) String() string {
	if k.given == k.arn {
		return k.arn
	}
	return fmt.Sprintf("%s (%s)", k.given, k.arn)
}

// mismatch is the finding for a secret that KMS would not decrypt under the required key; out
// is the Decrypt made without it, nil when that failed too.
func (k *requiredKey) mismatch(out *kms.DecryptOutput) *Finding {
	msg := fmt.Sprintf("encrypted with another key than the required %s", k)
	if out != nil {
		msg = fmt.Sprintf("encrypted with key %s, required %s", aws.ToString(out.KeyId), k)
	}
	return &Finding{Check: CheckKey, Reason: ErrWrongKey, Message: msg + "; re-put the parameter with --key-id of the required key"}
}

// checkKey finds whether the key that decrypted a secret is one a Lambda function can use.
func (r *run) checkKey(ctx context.Context, keyARN string) ([]Finding, error) {
	meta, err := r.keys.describe(ctx, keyARN)
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr) && apiErr.ErrorCode() == accessDeniedCode:
		return []Finding{{Check: CheckKey, Reason: ErrAccessDenied, Message: fmt.Sprintf(
			"cannot tell whether key %s is AWS managed: KMS denied kms:DescribeKey%s; allow it on the key", keyARN, kmsSays(err))}}, nil
	case err != nil:
		return nil, fmt.Errorf("failed to describe key %s: %w", keyARN, err)
	case meta.KeyManager == types.KeyManagerTypeAws:
		return []Finding{{Check: CheckKey, Reason: ErrAWSManagedKey, Message: fmt.Sprintf(
			"encrypted with the AWS managed key %s: a Lambda function cannot call kms:Decrypt on an AWS managed key "+
				"(its key policy lets only the AWS service use it), so the baked secret would not decrypt at runtime; "+
				"re-put the parameter with `aws ssm put-parameter --overwrite --type SecureString --key-id <customer managed key>`", keyARN)}}, nil
	}
	return nil, nil
}
