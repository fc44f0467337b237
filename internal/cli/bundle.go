package cli

import (
	"bytes"
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

// verifiedValues are the values verification decrypted, by name, kept to
// seal or check a bundle without decrypting every entry a second time.
type verifiedValues map[string][]byte

// keep copies the plaintext of the secret name; verify.WithPlaintexts never
// overlaps its calls.
func (v verifiedValues) keep(name string, plaintext []byte) { v[name] = bytes.Clone(plaintext) }

// clear clears every value kept.
func (v verifiedValues) clear() {
	for _, p := range v {
		clear(p)
	}
}

// valuesFor returns where verification keeps its values for a bundle under
// bundleKey, or nil when it decrypts under another key or none: then the
// bundle decrypts the entries itself, under its own key.
func (c checkSettings) valuesFor(rc *runContext, bundleKey string) verifiedValues {
	if key := cmp.Or(c.keyID, rc.sp.KMSKeyID); key == "" || key != bundleKey {
		return nil
	}
	return verifiedValues{}
}

// sealer returns a Sealer of the run, for bundles, given the values
// verification kept.
func (c checkSettings) sealer(awsCfg aws.Config, rc *runContext, values verifiedValues) *seal.Sealer {
	return seal.New(secretsmanager.NewFromConfig(awsCfg), kms.NewFromConfig(awsCfg), seal.WithMask(rc.ui.Mask), seal.WithConcurrency(c.kmsConc), seal.WithValues(values))
}

// makeBundle seals every value of file into a bundle, reusing previous when
// it still holds the same values, from the values verification kept.
func (c checkSettings) makeBundle(ctx context.Context, rc *runContext, awsCfg aws.Config, file baked.File, previous *baked.Bundle, values verifiedValues) (*baked.Bundle, error) {
	key, err := c.bundleKey(rc)
	if err != nil {
		return nil, err
	}
	rc.ui.Group(fmt.Sprintf("Seal %d secret(s) into a bundle", len(file)))
	defer rc.ui.EndGroup()
	b, err := c.sealer(awsCfg, rc, values).Bundle(ctx, file, key, previous)
	switch {
	case errors.Is(err, seal.ErrBundleTooLarge):
		return nil, report.Findings{{Kind: report.KindBundleSize, Location: rc.sp.BundleLocation, Detail: err.Error(), Reason: err}}
	case err != nil:
		return nil, fmt.Errorf("failed to seal the bundle: %w", err)
	}
	return b, nil
}

// checkBundle establishes that the bundle of a verified file holds exactly
// its entries' values, sealed under the required key when there is one,
// given the values verification kept.
func (c checkSettings) checkBundle(ctx context.Context, rc *runContext, awsCfg aws.Config, file baked.File, b *baked.Bundle, values verifiedValues) error {
	key := cmp.Or(c.keyID, rc.sp.KMSKeyID, b.Key)
	if key != b.Key {
		return report.Findings{{Kind: report.KindBundle, Detail: fmt.Sprintf("the bundle is sealed under key %s, not the required %s", b.Key, key), Reason: seal.ErrBundleMismatch}}
	}
	rc.ui.Group("Check the bundle against the entries")
	defer rc.ui.EndGroup()
	if err := c.sealer(awsCfg, rc, values).CheckBundle(ctx, file, b, key); err != nil {
		return report.Findings{{Kind: report.KindBundle, Detail: err.Error(), Reason: err}}
	}
	return nil
}
