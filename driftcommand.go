package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/org/secret-baker/drift"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// errStale is the cause of a drift run that fails because secrets are stale
// and fail-on-drift is set.
var errStale = errors.New("stale secrets")

// driftOutcome is what the drift command found in the baked file at path.
type driftOutcome struct {
	path    string // relative to the workspace
	results []drift.Result
}

// stale returns the names of the stale secrets, sorted.
func (d *driftOutcome) stale() []string {
	names := []string{}
	for _, r := range d.results {
		if r.Stale {
			names = append(names, r.Name)
		}
	}
	return names
}

// runDrift compares an existing baked file with the versions SSM holds now,
// in GetParameters calls without decryption: no KMS call, no value read.
// Stale secrets are warnings unless fail-on-drift is set; a secret that
// cannot be checked, and a file that does not match the spec, fail the run.
// As for verify, the accounts of the file's parameter ARNs must be allowed.
func runDrift(ctx context.Context, cfg *config, ws *outfile.Workspace, sp *spec.Spec, rep *reporter) (outcome, error) {
	rel, _, file, err := readBaked(cfg, ws)
	if err != nil {
		return outcome{}, err
	}
	fs := mismatchFindings(verify.Match(file, declared(sp)), sp)
	if err := checkParameterAccounts(cfg, fromBakedFile, file); err != nil {
		return outcome{}, err
	}
	awsCfg, err := loadAWSConfig(ctx, cfg, rep.idToken, rep.masker())
	if err != nil {
		return outcome{}, err
	}
	rep.group(fmt.Sprintf("Check %d secret(s) against SSM", len(file)))
	results, err := drift.New(newBaker(cfg, awsCfg, rep)).Check(ctx, file)
	rep.endGroup()
	if err != nil {
		return outcome{}, err
	}

	out := outcome{now: clock(), drift: &driftOutcome{path: rel, results: results}}
	for _, r := range results {
		s, _ := sp.Lookup(r.Name)
		switch {
		case r.Problem != nil:
			fs = append(fs, finding{
				location: s.Location,
				title:    fmt.Sprintf("Cannot check %s", r.Name),
				message:  fmt.Sprintf("secret %q (parameter %q): %v", r.Name, r.Parameter, r.Problem),
				cause:    r.Problem,
			})
		case r.Stale:
			out.warnings = append(out.warnings, finding{location: s.Location, title: fmt.Sprintf("Secret %s is stale", r.Name), message: staleMessage(r)})
		}
	}
	if stale := out.drift.stale(); cfg.failOnDrift && len(stale) > 0 {
		fs = append(fs, finding{
			title:   "Stale secrets",
			message: fmt.Sprintf("%d secret(s) in %s are stale and fail-on-drift is true: %s", len(stale), out.drift.path, quoteAll(stale)),
			cause:   errStale,
		})
	}
	if len(fs) > 0 {
		return out, fs
	}
	return out, nil
}

// staleMessage says what changed in SSM since a stale secret was baked.
func staleMessage(r drift.Result) string {
	now := "SSM's current version is"
	if r.Selector.Label != "" {
		now = fmt.Sprintf("label %q now points at version", r.Selector.Label)
	}
	return fmt.Sprintf("secret %q (parameter %q): the baked file ships version %d; %s %d, set %s; deploy again to ship it",
		r.Name, r.Parameter, r.Baked, now, r.Current, dateCell(r.CurrentSet))
}

// quoteAll quotes each name and joins them with commas.
func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(quoted, ", ")
}
