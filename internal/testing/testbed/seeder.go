package testbed

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// Seeder creates KMS keys, SSM parameters, Secrets Manager secrets and IAM roles in one region of the emulator, talking to
// it directly so that proxies do not count its calls. It signs with the test bed's credentials,
// whose identity is CallerARN in Account.
type Seeder struct {
	ssm *ssm.Client
	sm  *secretsmanager.Client
	kms *kms.Client
	iam *iam.Client
	sts *sts.Client
}

// Seeder returns a Seeder for region.
func (e *Emulator) Seeder(region string) *Seeder {
	return newSeeder(e.AWSConfig(region))
}

// SeederIn returns a Seeder for region whose every call moto serves in account (a 12-digit id)
// rather than Account, so that a test can create roles, keys and parameters there. Its
// AssumeRole is made by that account's default identity, arn:aws:sts::<account>:user/moto.
func (e *Emulator) SeederIn(region, account string) *Seeder {
	cfg := e.AWSConfig(region)
	cfg.HTTPClient = accountClient{account: account, next: awshttp.NewBuildableClient()}
	return newSeeder(cfg)
}

func newSeeder(cfg aws.Config) *Seeder {
	return &Seeder{ssm: ssm.NewFromConfig(cfg), sm: secretsmanager.NewFromConfig(cfg), kms: kms.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg)}
}

// accountClient sends each request with moto's x-moto-account-id header, which makes moto serve
// it in that account whatever the access key.
type accountClient struct {
	account string
	next    aws.HTTPClient
}

func (c accountClient) Do(r *http.Request) (*http.Response, error) {
	r.Header.Set("x-moto-account-id", c.account)
	return c.next.Do(r)
}

// CreateKey creates a symmetric customer managed key and, unless alias is "", gives it that
// alias ("alias/...").
func (s *Seeder) CreateKey(ctx context.Context, alias string) (keyID, keyARN string, err error) {
	out, err := s.kms.CreateKey(ctx, &kms.CreateKeyInput{})
	if err != nil {
		return "", "", fmt.Errorf("failed to create key: %w", err)
	}
	keyID, keyARN = aws.ToString(out.KeyMetadata.KeyId), aws.ToString(out.KeyMetadata.Arn)
	if alias != "" {
		if _, err := s.kms.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: &alias, TargetKeyId: &keyID}); err != nil {
			return "", "", fmt.Errorf("failed to create alias %s: %w", alias, err)
		}
	}
	return keyID, keyARN, nil
}

// PutSecureString stores a new version of a standard-tier SecureString encrypted with keyID (any
// key identifier; "" for the AWS managed key alias/aws/ssm) and returns its version.
func (s *Seeder) PutSecureString(ctx context.Context, name, value, keyID string) (version int64, err error) {
	return s.put(ctx, name, value, ssmtypes.ParameterTypeSecureString, ssmtypes.ParameterTierStandard, keyID)
}

// PutAdvanced stores a new version of an advanced-tier SecureString encrypted with keyID ("" for
// alias/aws/ssm), whose raw value the emulator returns as an Encryption SDK message.
func (s *Seeder) PutAdvanced(ctx context.Context, name, value, keyID string) error {
	_, err := s.put(ctx, name, value, ssmtypes.ParameterTypeSecureString, ssmtypes.ParameterTierAdvanced, keyID)
	return err
}

// PutString stores a new version of a plain String parameter.
func (s *Seeder) PutString(ctx context.Context, name, value string) error {
	_, err := s.put(ctx, name, value, ssmtypes.ParameterTypeString, ssmtypes.ParameterTierStandard, "")
	return err
}

// LabelVersion attaches label to version of the parameter name.
func (s *Seeder) LabelVersion(ctx context.Context, name string, version int64, label string) error {
	_, err := s.ssm.LabelParameterVersion(ctx, &ssm.LabelParameterVersionInput{
		Name:             &name,
		ParameterVersion: &version,
		Labels:           []string{label},
	})
	if err != nil {
		return fmt.Errorf("failed to label version %d of %s: %w", version, name, err)
	}
	return nil
}

// Delete deletes the parameter name with all its versions.
func (s *Seeder) Delete(ctx context.Context, name string) error {
	if _, err := s.ssm.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: &name}); err != nil {
		return fmt.Errorf("failed to delete parameter %s: %w", name, err)
	}
	return nil
}

func (s *Seeder) put(ctx context.Context, name, value string, typ ssmtypes.ParameterType, tier ssmtypes.ParameterTier, keyID string) (int64, error) {
	in := &ssm.PutParameterInput{
		Name:      &name,
		Value:     &value,
		Type:      typ,
		Tier:      tier,
		Overwrite: aws.Bool(true),
	}
	if keyID != "" {
		in.KeyId = &keyID
	}
	out, err := s.ssm.PutParameter(ctx, in)
	if err != nil {
		return 0, fmt.Errorf("failed to put parameter %s: %w", name, err)
	}
	return out.Version, nil
}
