package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/seal"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// fromSecretsManager names, for the account guard, where the ARNs come from.
const fromSecretsManager = "the secret ARNs Secrets Manager described"

// smSecrets lists the spec's Secrets Manager secrets as seal takes them.
func smSecrets(sp *spec.Spec) []seal.Secret {
	var secrets []seal.Secret
	for _, s := range sp.Secrets {
		if sm := s.SecretsManager; sm != nil {
			secrets = append(secrets, seal.Secret{Name: s.Name, SecretID: sm.SecretID, VersionID: sm.VersionID,
				VersionStage: sm.VersionStage, StageDeclared: sm.StageDeclared, JSONKey: sm.JSONKey})
		}
	}
	return secrets
}

// seal bakes the spec's Secrets Manager secrets, sealed under the kms-key-id
// (else each secret's own customer managed key), reusing previous's
// ciphertexts that still hold the same values. Secrets that cannot be baked
// are findings at their spec lines.
func (c checkSettings) seal(ctx context.Context, rc *runContext, awsCfg aws.Config, previous baked.File) (baked.File, report.Findings, error) {
	secrets := smSecrets(rc.sp)
	if len(secrets) == 0 {
		return baked.File{}, nil, nil
	}
	opts := []seal.Option{
		seal.WithKey(cmp.Or(c.keyID, rc.sp.KMSKeyID)),
		seal.WithPrevious(previous),
		seal.WithMask(rc.ui.Mask),
		seal.WithConcurrency(c.ssmConc),
	}
	// Even with role-to-assume: a secret-id may be another account's ARN.
	if !rc.aws.allowed.Empty() {
		opts = append(opts, seal.WithAccountCheck(func(arn string) error { return rc.aws.checkAccount(fromSecretsManager, arn) }))
	}
	rc.ui.Group(fmt.Sprintf("Bake %d secret(s) from Secrets Manager", len(secrets)))
	file, err := seal.New(secretsmanager.NewFromConfig(awsCfg), kms.NewFromConfig(awsCfg), opts...).Seal(ctx, secrets)
	rc.ui.EndGroup()
	var problems seal.Problems
	if err != nil && !errors.As(err, &problems) {
		return nil, nil, err
	}
	var fs report.Findings
	for _, p := range problems {
		fs = append(fs, finding(rc.sp, report.Finding{Kind: report.KindCannotBake, Secret: p.Name, Reason: p.Err}))
	}
	return file, fs, nil
}

// checkSealed establishes that each Secrets Manager entry of file that the
// spec declares is the value Secrets Manager holds for exactly its version;
// it returns a version finding for each that is not.
func (c checkSettings) checkSealed(ctx context.Context, rc *runContext, awsCfg aws.Config, file baked.File) (map[string][]verify.Finding, error) {
	var sealed []seal.Sealed
	for _, s := range smSecrets(rc.sp) {
		if e, ok := file[s.Name]; ok && e.SecretsManager() {
			sealed = append(sealed, seal.Sealed{Secret: s, Entry: e})
		}
	}
	if len(sealed) == 0 {
		return nil, nil
	}
	sealer := seal.New(secretsmanager.NewFromConfig(awsCfg), kms.NewFromConfig(awsCfg), seal.WithMask(rc.ui.Mask), seal.WithConcurrency(c.ssmConc))
	refused, err := sealer.Check(ctx, sealed, cmp.Or(c.keyID, rc.sp.KMSKeyID))
	if err != nil {
		return nil, err
	}
	findings := map[string][]verify.Finding{}
	for name, reason := range refused {
		findings[name] = []verify.Finding{{Check: verify.CheckVersion, Reason: reason, Message: reason.Error() + "; bake the secret again"}}
	}
	return findings, nil
}
