package cli

import (
	"errors"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// finding returns f located at the spec line that declares its secret, or
// at the spec file when the spec declares no such secret: every finding
// about a secret is built here.
func finding(sp *spec.Spec, f report.Finding) report.Finding {
	f.Location = spec.Location{File: sp.File}
	s, ok := sp.Lookup(f.Secret)
	if ok {
		f.Location = s.Location
	}
	if ok && s.SecretsManager != nil && f.Kind != report.KindMismatch {
		f.Parameter, f.SecretsManager = s.SecretsManager.SecretID, true
	}
	return f
}

// bakeFindings puts each secret that could not be baked at the line of the
// spec that declares it. Any other error is returned as it is.
func bakeFindings(err error, sp *spec.Spec) (report.Findings, error) {
	var problems bake.Problems
	if err == nil || !errors.As(err, &problems) {
		return nil, err
	}
	fs := make(report.Findings, len(problems))
	for i, p := range problems {
		fs[i] = finding(sp, report.Finding{Kind: report.KindCannotBake, Secret: p.Name, Parameter: p.Parameter, Reason: p.Err})
	}
	return fs, nil
}

// mismatchFindings puts each way the baked file departs from the spec at the
// line that declares the secret, or at the spec file for a secret it does not
// declare.
func mismatchFindings(mismatches []verify.Mismatch, sp *spec.Spec) report.Findings {
	var fs report.Findings
	for _, m := range mismatches {
		fs = append(fs, finding(sp, report.Finding{Kind: report.KindMismatch, Secret: m.Name, Reason: m.Finding.Reason, Detail: m.Finding.Message}))
	}
	return fs
}

// failures returns the earlier findings and every failed check, each at the
// line of the spec that declares the secret; nil when there are none.
func failures(earlier report.Findings, results []verify.Result, sp *spec.Spec) error {
	fs := earlier
	for _, r := range results {
		for _, f := range r.Findings {
			fs = append(fs, finding(sp, report.Finding{
				Kind: report.KindCheck, Secret: r.Name, Parameter: r.Parameter, Version: r.Version,
				Check: f.Check, Reason: f.Reason, Detail: f.Message,
			}))
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return fs
}
