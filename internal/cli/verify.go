package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// errUnexpectedFile is the failure of a verify command given another file
// than the expected one.
var errUnexpectedFile = errors.New("unexpected baked file")

// verifyCommand checks an existing baked file: that it is the expected one,
// that it holds exactly the spec's secrets, each the very ciphertext SSM
// holds for its version in this account and region, and that every secret
// decrypts and passes its rules; then that the function roles can decrypt
// them too.
type verifyCommand struct {
	file string
	// expectedDigest is the digest the file must have, empty for any.
	expectedDigest string
	checks         checkSettings
	roles          roleSettings
	// bakedName is the baked file's name at the root of an artifact given
	// as file.
	bakedName string
}

func newVerify(c *config) runner {
	return &verifyCommand{file: c.file, expectedDigest: c.expectedDigest, bakedName: cmp.Or(c.bakedName, baked.DefaultName), checks: c.checkSettings(), roles: c.roleSettings()}
}

func (v *verifyCommand) run(ctx context.Context, rc *runContext) (report.Outcome, error) {
	bf, err := readArtifact(v.file, v.bakedName, rc.ws)
	if err != nil {
		return nil, err
	}
	if digest := baked.Digest(bf.data); v.expectedDigest != "" && digest != v.expectedDigest {
		return nil, fmt.Errorf("%w: %s has digest %s, not the expected-digest %s: it is not the file the bake step wrote", errUnexpectedFile, bf.where(), digest, v.expectedDigest)
	}
	o, err := openChecks(ctx, bf, rc, v.checks)
	if err != nil {
		return nil, err
	}
	held, missing, err := o.baker.Read(ctx, verify.VersionReads(bf.file, o.declared))
	rc.ui.EndGroup()
	if err != nil {
		return nil, fmt.Errorf("failed to read the baked versions from SSM: %w", err)
	}
	if err := rc.aws.checkParameterAccounts(fromSSM, arnsOf(held)...); err != nil {
		return nil, err
	}
	versions := verify.CheckVersions(bf.file, o.declared, held, missing)
	sealed, err := v.checks.checkSealed(ctx, rc, o.aws, bf.file)
	if err != nil {
		return nil, err
	}
	maps.Copy(versions, sealed)
	// Only the entries that are the very ciphertext SSM holds, under the ARN
	// it answers, are decrypted.
	established := baked.File{}
	var results []verify.Result
	for name, e := range bf.file {
		if fs, failed := versions[name]; failed {
			results = append(results, verify.Result{Name: name, Parameter: e.Parameter, Version: e.Version, Findings: fs})
		} else {
			established[name] = e
		}
	}
	var values verifiedValues
	if bf.bundle != nil {
		values = v.checks.valuesFor(rc, bf.bundle.Key)
		defer values.clear()
	}
	decrypted, err := v.checks.verify(ctx, rc.sp, established, o.aws, rc.ui, values)
	if err != nil {
		return nil, err
	}
	results = append(results, decrypted...)
	for i, r := range results {
		results[i].Checks = append([]string{verify.CheckVersion}, r.Checks...)
	}
	slices.SortFunc(results, func(a, b verify.Result) int { return strings.Compare(a.Name, b.Name) })
	out := &report.Baked{Checked: true, Results: results, File: bf.file, Now: clock()}
	if err := failures(o.mismatches, results, rc.sp); err != nil {
		return out, err
	}
	proof, fs, err := v.roles.prove(ctx, rc, o.aws, bf.document())
	if err != nil {
		return nil, err
	}
	if out.Roles = proof; len(fs) > 0 {
		return out, fs
	}
	if bf.bundle != nil {
		if err := v.checks.checkBundle(ctx, rc, o.aws, bf.file, bf.bundle, values); err != nil {
			return out, err
		}
	}
	out.Path, out.Inside, out.Data = bf.rel, bf.inside, bf.data
	return out, nil
}

// checkSettings are the inputs that say how secrets are read and checked.
type checkSettings struct {
	ssmConc int
	kmsConc int
	// keyID is the key every secret must be encrypted with, from the
	// kms-key-id input; empty for the spec's.
	keyID string
}

func (c *config) checkSettings() checkSettings {
	return checkSettings{ssmConc: c.ssmConc, kmsConc: c.kmsConc, keyID: c.kmsKeyID}
}

// verify trial-decrypts every declared secret that file holds and checks
// its rules, keeping the values in values unless it is nil.
func (c checkSettings) verify(ctx context.Context, sp *spec.Spec, file baked.File, awsCfg aws.Config, ui presenter, values verifiedValues) ([]verify.Result, error) {
	var secrets []verify.Secret
	for _, s := range sp.Secrets {
		if e, ok := file[s.Name]; ok {
			secrets = append(secrets, verify.Secret{Name: s.Name, Entry: e, Rules: s.Rules})
		}
	}
	ui.Group(fmt.Sprintf("Verify %d secret(s) with KMS", len(secrets)))
	defer ui.EndGroup()
	opts := []verify.Option{
		verify.WithConcurrency(c.kmsConc),
		verify.WithSSM(ssm.NewFromConfig(awsCfg)),
		verify.WithProgress(ui.Progress("secrets verified")),
		verify.WithMask(ui.Mask),
	}
	if key := cmp.Or(c.keyID, sp.KMSKeyID); key != "" {
		opts = append(opts, verify.WithRequiredKey(key))
	}
	if values != nil {
		opts = append(opts, verify.WithPlaintexts(values.keep))
	}
	results, err := verify.New(kms.NewFromConfig(awsCfg), opts...).Verify(ctx, secrets)
	if errors.Is(err, verify.ErrRequiredKey) && c.keyID == "" && sp.KMSKeyID != "" {
		return nil, report.Findings{{Kind: report.KindKey, Location: sp.KMSKeyIDLocation, Detail: err.Error(), Reason: err}}
	}
	return results, err
}
