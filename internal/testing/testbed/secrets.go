package testbed

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
)

// SecretRecoveryDays is the recovery window DeleteSecret schedules: the shortest AWS accepts.
const SecretRecoveryDays = 7

// CreateSecret creates the Secrets Manager secret name holding the string value, encrypted under
// kmsKeyID (a key id, key ARN, alias or alias ARN; "" for the AWS managed key
// aws/secretsmanager), and returns its ARN and the id of its first version, which is AWSCURRENT.
func (s *Seeder) CreateSecret(ctx context.Context, name, value, kmsKeyID string) (arn, versionID string, err error) {
	return s.createSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretString: &value}, kmsKeyID)
}

// CreateBinarySecret is CreateSecret for a SecretBinary value.
func (s *Seeder) CreateBinarySecret(ctx context.Context, name string, value []byte, kmsKeyID string) (arn, versionID string, err error) {
	return s.createSecret(ctx, &secretsmanager.CreateSecretInput{Name: &name, SecretBinary: value}, kmsKeyID)
}

func (s *Seeder) createSecret(ctx context.Context, in *secretsmanager.CreateSecretInput, kmsKeyID string) (string, string, error) {
	if kmsKeyID != "" {
		in.KmsKeyId = &kmsKeyID
	}
	out, err := s.sm.CreateSecret(ctx, in)
	if err != nil {
		return "", "", fmt.Errorf("failed to create secret %s: %w", aws.ToString(in.Name), err)
	}
	return aws.ToString(out.ARN), aws.ToString(out.VersionId), nil
}

// PutSecretValue stores value as a new version of the secret id (name or ARN) and returns the
// version's id. With no stages the version takes AWSCURRENT, and AWSPREVIOUS moves to the version
// that held it; otherwise it takes exactly the given staging labels, each moved from the version
// holding it.
func (s *Seeder) PutSecretValue(ctx context.Context, id, value string, stages ...string) (versionID string, err error) {
	in := &secretsmanager.PutSecretValueInput{SecretId: &id, SecretString: &value}
	if len(stages) > 0 {
		in.VersionStages = stages
	}
	out, err := s.sm.PutSecretValue(ctx, in)
	if err != nil {
		return "", fmt.Errorf("failed to put a value of secret %s: %w", id, err)
	}
	return aws.ToString(out.VersionId), nil
}

// UpdateStage moves the staging label stage of the secret id to the version moveTo, taking it
// from the version removeFrom (which must be given when another version holds it); with moveTo
// "" it only removes the label from removeFrom. A version left without labels is deprecated: AWS
// keeps it for a while, and GetSecretValue still reads it by VersionId.
func (s *Seeder) UpdateStage(ctx context.Context, id, stage, moveTo, removeFrom string) error {
	in := &secretsmanager.UpdateSecretVersionStageInput{SecretId: &id, VersionStage: &stage}
	if moveTo != "" {
		in.MoveToVersionId = &moveTo
	}
	if removeFrom != "" {
		in.RemoveFromVersionId = &removeFrom
	}
	if _, err := s.sm.UpdateSecretVersionStage(ctx, in); err != nil {
		return fmt.Errorf("failed to move stage %s of secret %s: %w", stage, id, err)
	}
	return nil
}

// DeleteSecret schedules the secret id for deletion after SecretRecoveryDays, as AWS does
// without ForceDeleteWithoutRecovery: until then DescribeSecret reports its DeletedDate and
// GetSecretValue fails with InvalidRequestException.
func (s *Seeder) DeleteSecret(ctx context.Context, id string) error {
	_, err := s.sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{
		SecretId:             &id,
		RecoveryWindowInDays: aws.Int64(SecretRecoveryDays),
	})
	if err != nil {
		return fmt.Errorf("failed to delete secret %s: %w", id, err)
	}
	return nil
}

// RotateSecret turns rotation on for the secret id every days days with the rotation function
// lambdaARN and rotates it now; the emulator stands in for the function (moto cannot run it): the
// new version holds a random string and becomes AWSCURRENT. It returns the new version's id.
// DescribeSecret then reports LastRotatedDate (now) and NextRotationDate (now plus days).
func (s *Seeder) RotateSecret(ctx context.Context, id, lambdaARN string, days int64) (versionID string, err error) {
	out, err := s.sm.RotateSecret(ctx, &secretsmanager.RotateSecretInput{
		SecretId:          &id,
		RotationLambdaARN: &lambdaARN,
		RotationRules:     &smtypes.RotationRulesType{AutomaticallyAfterDays: &days},
	})
	if err != nil {
		return "", fmt.Errorf("failed to rotate secret %s: %w", id, err)
	}
	return aws.ToString(out.VersionId), nil
}

// Encrypt KMS-encrypts plaintext under keyID with the encryption context encCtx and returns the
// ciphertext blob, which Decrypt opens only with the same context.
func (s *Seeder) Encrypt(ctx context.Context, keyID string, plaintext []byte, encCtx map[string]string) ([]byte, error) {
	out, err := s.kms.Encrypt(ctx, &kms.EncryptInput{KeyId: &keyID, Plaintext: plaintext, EncryptionContext: encCtx})
	if err != nil {
		return nil, fmt.Errorf("failed to encrypt under %s: %w", keyID, err)
	}
	return out.CiphertextBlob, nil
}
