package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/org/secret-baker/drift"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/rotation"
	"github.com/org/secret-baker/spec"
)

// errStale is the cause of a drift run that fails because secrets are stale
// and fail-on-drift is set.
var errStale = errors.New("stale secrets")

// driftCommand compares an existing baked file with the versions SSM holds
// now, in GetParameters calls without decryption: no KMS call, no value
// read. Stale secrets are warnings unless fail-on-drift is set; a secret
// that cannot be checked, and a file that does not match the spec, fail the
// run. As for verify, the accounts of the file's parameter ARNs must be
// allowed.
type driftCommand struct {
	file        string
	failOnDrift bool
	checks      checkSettings
}

func newDrift(c *config) runner {
	return &driftCommand{file: c.file, failOnDrift: c.failOnDrift, checks: c.checkSettings()}
}

func (d *driftCommand) run(ctx context.Context, rc *runContext) (report.Outcome, error) {
	bf, err := readBaked(d.file, rc.ws)
	if err != nil {
		return nil, err
	}
	o, err := openChecks(ctx, bf, rc, d.checks)
	if err != nil {
		return nil, err
	}
	results, err := drift.New(o.baker).Check(ctx, bf.file, o.secrets)
	rc.ui.EndGroup()
	if err != nil {
		return nil, err
	}
	sealed, err := drift.CheckSecrets(ctx, secretsmanager.NewFromConfig(o.aws), bf.file, declaredSecrets(rc.sp))
	if err != nil {
		return nil, err
	}
	results = append(results, sealed...)
	slices.SortFunc(results, func(a, b drift.Result) int { return strings.Compare(a.Name, b.Name) })
	if err := rc.aws.checkParameterAccounts(fromSSM, currentARNs(results)...); err != nil {
		return nil, err
	}

	out := &report.Drift{Path: bf.rel, Results: results, Now: clock()}
	fs := o.mismatches
	for _, r := range results {
		switch {
		case r.Problem != nil:
			fs = append(fs, finding(rc.sp, report.Finding{Kind: report.KindCannotCheck, Secret: r.Name, Parameter: r.Parameter, Reason: r.Problem}))
		case r.Stale:
			out.Warnings = append(out.Warnings, finding(rc.sp, report.Finding{Kind: report.KindStale, Secret: r.Name, Parameter: r.Parameter, Detail: staleDetail(r)}))
		}
	}
	if stale := out.Stale(); d.failOnDrift && len(stale) > 0 {
		fs = append(fs, report.Finding{
			Kind:   report.KindStaleRun,
			Detail: fmt.Sprintf("%d secret(s) in %s are stale and fail-on-drift is true: %s", len(stale), out.Path, report.QuoteAll(stale)),
			Reason: errStale,
		})
	}
	if len(fs) > 0 {
		return out, fs
	}
	return out, nil
}

// staleDetail says what changed in SSM or Secrets Manager since a stale
// secret was baked.
func staleDetail(r drift.Result) string {
	if r.BakedID != "" {
		baked, current := r.Versions()
		return fmt.Sprintf("the baked file ships version %s; stage %s is now on version %s; deploy again to ship it", baked, r.Stage, current)
	}
	now := "SSM's current version is"
	if r.Selector.Label != "" {
		now = fmt.Sprintf("label %q now points at version", r.Selector.Label)
	}
	return fmt.Sprintf("the baked file ships version %d; %s %d, set %s; deploy again to ship it", r.Baked, now, r.Current, rotation.FormatDate(r.CurrentSet))
}

// currentARNs lists the parameter ARNs SSM answered in results.
func currentARNs(results []drift.Result) []string {
	var arns []string
	for _, r := range results {
		if r.CurrentARN != "" {
			arns = append(arns, r.CurrentARN)
		}
	}
	return arns
}

// declaredSecrets lists the spec's Secrets Manager secrets as drift takes
// them.
func declaredSecrets(sp *spec.Spec) []drift.DeclaredSecret {
	var out []drift.DeclaredSecret
	for _, s := range sp.Secrets {
		if sm := s.SecretsManager; sm != nil {
			out = append(out, drift.DeclaredSecret{Name: s.Name, SecretID: sm.SecretID, Stage: sm.VersionStage, Pinned: sm.VersionID != "", StageDeclared: sm.StageDeclared})
		}
	}
	return out
}
