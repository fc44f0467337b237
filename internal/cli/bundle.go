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
)

// errBundleKey is the refusal of a bundle without a key to seal it under.
var errBundleKey = errors.New("a bundle needs kms-key-id, the key it is sealed under")

// bundleKey returns the key a bundle is sealed under, or why there is none.
func (c checkSettings) bundleKey(rc *runContext) (string, error) {
	if key := cmp.Or(c.keyID, rc.sp.KMSKeyID); key != "" {
		return key, nil
	}
	if !rc.sp.Bundle {
		return "", &report.InvalidInput{Err: fmt.Errorf("input bundle: %w", errBundleKey)}
	}
	return "", report.Findings{{Kind: report.KindSpec, Location: rc.sp.BundleLocation, Detail: errBundleKey.Error(), Reason: errBundleKey}}
}

// sealer returns a Sealer of the run, for bundles.
func (c checkSettings) sealer(awsCfg aws.Config, rc *runContext) *seal.Sealer {
	return seal.New(secretsmanager.NewFromConfig(awsCfg), kms.NewFromConfig(awsCfg), seal.WithMask(rc.ui.Mask), seal.WithConcurrency(c.kmsConc))
}

// makeBundle seals every value of file into a bundle, reusing previous when
// it still holds the same values.
func (c checkSettings) makeBundle(ctx context.Context, rc *runContext, awsCfg aws.Config, file baked.File, previous *baked.Bundle) (*baked.Bundle, error) {
	key, err := c.bundleKey(rc)
	if err != nil {
		return nil, err
	}
	rc.ui.Group(fmt.Sprintf("Seal %d secret(s) into a bundle", len(file)))
	defer rc.ui.EndGroup()
	b, err := c.sealer(awsCfg, rc).Bundle(ctx, file, key, previous)
	if err != nil {
		return nil, fmt.Errorf("failed to seal the bundle: %w", err)
	}
	return b, nil
}

// checkBundle establishes that the bundle of a verified file holds exactly
// its entries' values, sealed under the required key when there is one.
func (c checkSettings) checkBundle(ctx context.Context, rc *runContext, awsCfg aws.Config, file baked.File, b *baked.Bundle) error {
	key := cmp.Or(c.keyID, rc.sp.KMSKeyID, b.Key)
	if key != b.Key {
		return report.Findings{{Kind: report.KindBundle, Detail: fmt.Sprintf("the bundle is sealed under key %s, not the required %s", b.Key, key), Reason: seal.ErrBundleMismatch}}
	}
	rc.ui.Group("Check the bundle against the entries")
	defer rc.ui.EndGroup()
	if err := c.sealer(awsCfg, rc).CheckBundle(ctx, file, b, key); err != nil {
		return report.Findings{{Kind: report.KindBundle, Detail: err.Error(), Reason: err}}
	}
	return nil
}
