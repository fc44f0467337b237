package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// unverified lists the baked secrets as results with no checks run, for a
// run with verification turned off.
func unverified(sp *spec.Spec, file baked.File) []verify.Result {
	var results []verify.Result
	for _, s := range sp.Secrets {
		if e, ok := file[s.Name]; ok {
			results = append(results, verify.Result{Name: s.Name, Parameter: e.Parameter, Version: e.Version})
		}
	}
	return results
}

// failures returns the earlier findings and every failed check, each at the
// line of the spec that declares the secret; nil when there are none.
func failures(earlier findingsError, results []verify.Result, sp *spec.Spec) error {
	fs := earlier
	for _, r := range results {
		s, _ := sp.Lookup(r.Name)
		for _, f := range r.Findings {
			fs = append(fs, finding{
				location: s.Location,
				title:    fmt.Sprintf("Secret %s failed the %s check", r.Name, f.Check),
				message:  fmt.Sprintf("secret %q (parameter %q, version %d): %s", r.Name, r.Parameter, r.Version, f.Message),
			})
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return fs
}

// matchSpec checks that a baked file holds exactly the spec's secrets, from
// the declared parameters, so that verify never passes a file baked from
// another spec.
func matchSpec(file baked.File, sp *spec.Spec) findingsError {
	var fs findingsError
	declared := map[string]bool{}
	for _, s := range sp.Secrets {
		declared[s.Name] = true
		e, ok := file[s.Name]
		switch {
		case !ok:
			fs = append(fs, finding{location: s.Location, title: "Secret missing from the baked file",
				message: fmt.Sprintf("secret %q is declared but not in the baked file", s.Name)})
		case e.Parameter != "" && e.Parameter != s.Parameter:
			fs = append(fs, finding{location: s.Location, title: "Secret baked from another parameter",
				message: fmt.Sprintf("secret %q was baked from parameter %q, but the spec declares %q", s.Name, e.Parameter, s.Parameter)})
		}
	}
	var extra []string
	for name := range file {
		if !declared[name] {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	for _, name := range extra {
		fs = append(fs, finding{location: spec.Location{File: sp.File}, title: "Secret not declared in the spec",
			message: fmt.Sprintf("the baked file holds secret %q, which the spec does not declare", name)})
	}
	return fs
}

// checksCell describes the checks a result ran, for the summary.
func checksCell(r verify.Result) string {
	if len(r.Checks) == 0 {
		return "not verified"
	}
	return strings.Join(r.Checks, ", ")
}
