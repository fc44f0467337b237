package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/spec"
)

// finding is one problem to report, at the spec location that causes it when
// there is one. It never holds a secret value.
type finding struct {
	location spec.Location
	title    string
	message  string
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
			out[i] = finding{location: e.Location, title: "Invalid secret-baker spec", message: e.Message}
		}
		return out
	}
	return []finding{{title: "secret-baker failed", message: err.Error()}}
}

// locateBakeProblems puts each secret that could not be baked at the line of
// the spec that declares it. Any other error is returned as it is.
func locateBakeProblems(err error, sp *spec.Spec) (findingsError, error) {
	var problems bake.Problems
	if err == nil || !errors.As(err, &problems) {
		return nil, err
	}
	fs := make(findingsError, len(problems))
	for i, p := range problems {
		s, _ := sp.Lookup(p.Name)
		fs[i] = finding{
			location: s.Location,
			title:    fmt.Sprintf("Cannot bake %s", p.Name),
			message:  p.Error(),
		}
	}
	return fs, nil
}
