package verify

import (
	"errors"
	"fmt"
	"strings"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/selector"
)

// CheckSpec is the check of a baked file against the spec (Match). Its findings are about the
// file as a whole, so no Result lists it.
const CheckSpec = "spec"

// Reasons of CheckSpec findings; test with errors.Is. A declared parameter that is no valid
// selector has the reason baked.ErrInvalidSelector. Messages quote a declared parameter or an
// entry's ARN only when it is valid.
var (
	ErrMissing        = errors.New("declared secret missing from the baked file")
	ErrOtherParameter = errors.New("baked from another parameter")
	ErrOtherVersion   = errors.New("baked from another version")
	ErrUndeclared     = errors.New("baked secret not declared")
)

// Declared is a secret as the spec declares it.
type Declared struct {
	// Name is the secret's name.
	Name string
	// Parameter is the parameter selector as declared.
	Parameter string
}

// Mismatch is one way a baked file departs from the spec.
type Mismatch struct {
	// Name is the secret's name.
	Name string
	// Finding says what departs, with check CheckSpec.
	Finding Finding
}

// Match checks that file holds exactly the declared secrets, each from its declared parameter
// (and version, when the declaration pins one), so that verify never passes a file baked from
// another spec or with entries swapped. The parameter is read from the entry's ARN, which KMS
// authenticates as the encryption context, not from its parameter field. Mismatches come in
// declaration order, then the undeclared secrets by name.
func Match(file baked.File, declared []Declared) []Mismatch {
	var out []Mismatch
	add := func(name string, reason error, format string, args ...any) {
		out = append(out, Mismatch{Name: name, Finding: Finding{Check: CheckSpec, Reason: reason, Message: fmt.Sprintf(format, args...)}})
	}
	known := map[string]bool{}
	for _, d := range declared {
		known[d.Name] = true
		e, ok := file[d.Name]
		if !ok {
			add(d.Name, ErrMissing, "secret %q is declared but not in the baked file", d.Name)
			continue
		}
		sel, err := baked.ParseSelector(d.Parameter)
		switch {
		case err != nil:
			add(d.Name, baked.ErrInvalidSelector, "secret %q: %v", d.Name, err)
		case arnParameter(e.ARN) != strings.TrimPrefix(sel.Name, "/"):
			add(d.Name, ErrOtherParameter, "secret %q was baked from %s, but the spec declares parameter %q", d.Name, source(e.ARN), d.Parameter)
		case sel.Version != 0 && sel.Version != e.Version:
			add(d.Name, ErrOtherVersion, "secret %q was baked from version %d, but the spec declares %q", d.Name, e.Version, d.Parameter)
		}
	}
	// An entry the spec does not declare is counted, never named: its name
	// is the file's word alone, and reaches no output or AWS call.
	extra := 0
	for name := range file {
		if !known[name] {
			extra++
		}
	}
	if extra > 0 {
		add("", ErrUndeclared, "the baked file holds %d secret(s) that the spec does not declare", extra)
	}
	return out
}

// source names the parameter ARN an entry was baked from: the ARN when it names a valid
// parameter, else only what kind of ARN it is, since it departs from the grammar.
func source(arn string) string {
	if !selector.Valid(arnParameter(arn)) {
		return "an ARN that names no SSM parameter"
	}
	return arn
}

// arnParameter returns the parameter name of an SSM parameter ARN, without a leading slash; ""
// when arn is not one.
func arnParameter(arn string) string {
	_, name, ok := strings.Cut(arn, ":parameter/")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return ""
	}
	return name
}
