package verify

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/baked"
)

// accessDeniedCode is the error code of KMS's AccessDeniedException, which the SDK does not model.
const accessDeniedCode = "AccessDeniedException"

// decrypted is the outcome of the trial decryption of one entry: a plaintext, or why not.
type decrypted struct {
	ok        bool
	plaintext []byte // owned by the caller, who clears it
	keyARN    string
	failure   *Finding // why it did not decrypt (check decrypt)
	refused   *refusal // a refusal that the secret's key explains, for explain
}

// decrypt KMS-decrypts an entry's ciphertext with its encryption context, with the required key
// if any as KeyId: KMS then refuses any other key, and a clean run needs no other call. KMS
// errors about the secret become findings or refusals; a required key that KMS does not find is
// ErrRequiredKey; other errors are returned as they are.
func (r *run) decrypt(ctx context.Context, e baked.Entry) (decrypted, error) {
	blob, err := baked.DecodeCiphertext(e.Ciphertext)
	if err != nil {
		return decrypted{failure: notBase64(err)}, nil
	}
	in := &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: e.EncryptionContext()}
	if r.requiredKey != "" {
		in.KeyId = aws.String(r.requiredKey)
	}
	out, err := r.kmsDecrypt(ctx, in)
	var (
		incorrect *types.IncorrectKeyException
		notFound  *types.NotFoundException
		apiErr    smithy.APIError
	)
	switch {
	case err == nil:
		return decrypted{ok: true, plaintext: out.Plaintext, keyARN: aws.ToString(out.KeyId)}, nil
	case errors.As(err, &incorrect):
		return decrypted{refused: &refusal{incorrectKey: true, err: err}}, nil
	case errors.As(err, &apiErr) && apiErr.ErrorCode() == accessDeniedCode:
		return decrypted{refused: &refusal{err: err}}, nil
	case r.requiredKey != "" && errors.As(err, &notFound):
		return decrypted{}, fmt.Errorf("%w: key %s not found%s", ErrRequiredKey, r.requiredKey, kmsSays(err))
	}
	f, err := decryptFailure(err, e)
	if err != nil {
		return decrypted{}, err
	}
	return decrypted{failure: f}, nil
}

// kmsDecrypt calls KMS Decrypt and hands the plaintext to the mask callback before anything
// else is done with it.
func (v *Verifier) kmsDecrypt(ctx context.Context, in *kms.DecryptInput) (*kms.DecryptOutput, error) {
	out, err := v.client.Decrypt(ctx, in)
	if err != nil {
		return nil, err
	}
	v.maskPlaintext(out.Plaintext)
	return out, nil
}

// notBase64 is the finding for a ciphertext that the Lambda readers would not decode; it
// gives the offset only.
func notBase64(err error) *Finding {
	msg := "the baked ciphertext is not valid base64"
	if offset, ok := err.(base64.CorruptInputError); ok {
		msg = fmt.Sprintf("%s (at byte %d)", msg, offset)
	}
	return &Finding{Check: CheckDecrypt, Reason: ErrNotBase64, Message: msg + "; bake the secret again"}
}

// decryptFailure turns a KMS Decrypt error about the secret, other than a refusal, into a
// finding, and returns any other error (KMS or network failure, cancelled context) as is: the
// SDK's message names the operation, and Verify names the secret.
func decryptFailure(err error, e baked.Entry) (*Finding, error) {
	var (
		invalid  *types.InvalidCiphertextException
		notFound *types.NotFoundException
		disabled *types.DisabledException
		state    *types.KMSInvalidStateException
		usage    *types.InvalidKeyUsageException
	)
	unusable := func(why string) (*Finding, error) {
		return &Finding{Check: CheckDecrypt, Reason: ErrKeyUnusable, Message: why + kmsSays(err)}, nil
	}
	switch {
	case errors.As(err, &invalid) && e.SecretsManager():
		return &Finding{Check: CheckDecrypt, Reason: ErrInvalidCiphertext, Message: fmt.Sprintf(
			"KMS cannot decrypt the ciphertext with the entry's encryption context (SecretARN=%s, SecretVersionId=%s) "+
				"(InvalidCiphertextException): either the ciphertext was altered, or the entry's context is not the one "+
				"it was sealed with; bake the secret again", e.ARN, e.VersionID)}, nil
	case errors.As(err, &invalid):
		return &Finding{Check: CheckDecrypt, Reason: ErrInvalidCiphertext, Message: fmt.Sprintf(
			"KMS cannot decrypt the ciphertext with the encryption context PARAMETER_ARN=%s (InvalidCiphertextException): "+
				"either the ciphertext was altered, or the entry's arn is not the parameter it was encrypted for "+
				"(the encryption context does not match); bake the secret again", e.ARN)}, nil
	case errors.As(err, &notFound):
		return unusable("the KMS key that encrypted the secret does not exist (deleted, or in another account or region)")
	case errors.As(err, &disabled):
		return unusable("the KMS key that encrypted the secret is disabled; enable it")
	case errors.As(err, &state):
		return unusable("the KMS key that encrypted the secret is not usable in its current state (e.g. pending deletion)")
	case errors.As(err, &usage):
		return unusable("the KMS key that encrypted the secret is not a symmetric encryption key")
	}
	return nil, err
}

// kmsSays returns " (Code: message)" from a KMS error; KMS messages name keys and principals,
// never plaintext.
func kmsSays(err error) string {
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return ""
	}
	if msg := apiErr.ErrorMessage(); msg != "" {
		return fmt.Sprintf(" (%s: %s)", apiErr.ErrorCode(), msg)
	}
	return fmt.Sprintf(" (%s)", apiErr.ErrorCode())
}
