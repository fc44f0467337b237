package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// finding is one problem to report, at the spec location that causes it when
// there is one. It never holds a secret value.
type finding struct {
	location spec.Location
	title    string
	message  string
	cause    error // what went wrong, for errors.Is; nil when nothing more is known
}

// findingsError is a run's failure made of located findings.
type findingsError []finding

func (fs findingsError) Error() string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the causes of the findings, so that errors.Is finds them.
func (fs findingsError) Unwrap() []error {
	var causes []error
	for _, f := range fs {
		if f.cause != nil {
			causes = append(causes, f.cause)
		}
	}
	return causes
}

// String formats a finding as a compiler would: "file:line:col: message".
func (f finding) String() string {
	if f.location.File == "" {
		return f.message
	}
	return f.location.String() + ": " + f.message
}

// findingsOf flattens err, joined errors included, into findings.
func findingsOf(err error) []finding {
	var fs findingsError
	if errors.As(err, &fs) {
		return fs
	}
	if located := spec.Errors(err); len(located) > 0 {
		out := make([]finding, len(located))
		for i, e := range located {
			out[i] = finding{location: e.Location, title: "Invalid secret-baker spec", message: e.Message, cause: e}
		}
		return out
	}
	return []finding{{title: "secret-baker failed", message: err.Error(), cause: err}}
}

// bakeFindings puts each secret that could not be baked at the line of the
// spec that declares it. Any other error is returned as it is.
func bakeFindings(err error, sp *spec.Spec) (findingsError, error) {
	var problems bake.Problems
	if err == nil || !errors.As(err, &problems) {
		return nil, err
	}
	fs := make(findingsError, len(problems))
	for i, p := range problems {
		s, _ := sp.Lookup(p.Name)
		fs[i] = finding{location: s.Location, title: fmt.Sprintf("Cannot bake %s", p.Name), message: p.Error(), cause: p}
	}
	return fs, nil
}

// mismatchTitles title the findings of verify.Match by their reason.
var mismatchTitles = map[error]string{
	verify.ErrMissing:        "Secret missing from the baked file",
	verify.ErrOtherParameter: "Secret baked from another parameter",
	verify.ErrOtherVersion:   "Secret baked from another version",
	verify.ErrUndeclared:     "Secret not declared in the spec",
	baked.ErrInvalidSelector: "Invalid parameter selector",
}

// mismatchFindings puts each way the baked file departs from the spec at the
// line that declares the secret, or at the spec file for a secret it does not
// declare.
func mismatchFindings(mismatches []verify.Mismatch, sp *spec.Spec) findingsError {
	var fs findingsError
	for _, m := range mismatches {
		loc := spec.Location{File: sp.File}
		if s, ok := sp.Lookup(m.Name); ok {
			loc = s.Location
		}
		fs = append(fs, finding{location: loc, title: mismatchTitles[m.Finding.Reason], message: m.Finding.Message, cause: m.Finding.Reason})
	}
	return fs
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
				cause:    f.Reason,
			})
		}
	}
	if len(fs) == 0 {
		return nil
	}
	return fs
}
