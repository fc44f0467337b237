package main

import (
	"fmt"
	"slices"
	"strconv"
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

// matchSpec checks that a baked file holds exactly the spec's secrets, each
// from its declared parameter (and version, when the spec pins one), so that
// verify never passes a file baked from another spec or with entries
// swapped. The parameter is read from the entry's ARN, which KMS
// authenticates as the encryption context, not from its parameter field.
func matchSpec(file baked.File, sp *spec.Spec) findingsError {
	var fs findingsError
	declared := map[string]bool{}
	for _, s := range sp.Secrets {
		declared[s.Name] = true
		e, ok := file[s.Name]
		if !ok {
			fs = append(fs, finding{location: s.Location, title: "Secret missing from the baked file",
				message: fmt.Sprintf("secret %q is declared but not in the baked file", s.Name)})
			continue
		}
		name, selector, _ := strings.Cut(s.Parameter, ":")
		if got := arnParameter(e.ARN); got != strings.TrimPrefix(name, "/") {
			fs = append(fs, finding{location: s.Location, title: "Secret baked from another parameter",
				message: fmt.Sprintf("secret %q was baked from %s, but the spec declares parameter %q", s.Name, e.ARN, s.Parameter)})
		} else if v, err := strconv.ParseInt(selector, 10, 64); err == nil && v != e.Version {
			fs = append(fs, finding{location: s.Location, title: "Secret baked from another version",
				message: fmt.Sprintf("secret %q was baked from version %d, but the spec declares %q", s.Name, e.Version, s.Parameter)})
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

// arnParameter returns the parameter name of an SSM parameter ARN, without
// a leading slash; "" when arn is not one.
func arnParameter(arn string) string {
	_, name, ok := strings.Cut(arn, ":parameter/")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	return name
}

// checksCell describes the checks a result ran, for the summary.
func checksCell(r verify.Result) string {
	if len(r.Checks) == 0 {
		return "not verified"
	}
	return strings.Join(r.Checks, ", ")
}
