package verify

import (
	"errors"
	"fmt"
	"regexp"
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
	// Parameter is the parameter selector as declared; empty for a
	// Secrets Manager secret.
	Parameter string
	// SecretID, VersionID and JSONKey name a Secrets Manager secret as
	// declared; SecretID is empty for an SSM parameter.
	SecretID  string
	VersionID string
	JSONKey   string
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
		if d.SecretID != "" || e.SecretsManager() {
			if msg, reason := matchSecret(d, e); reason != nil {
				add(d.Name, reason, "secret %q %s", d.Name, msg)
			}
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

// matchSecret checks that the entry of a secret declared from Secrets
// Manager, or found sealed, is that secret's: a sealed entry, of the declared
// secret (its ARN, or the name the ARN carries before its 6-character
// suffix), of the pinned version, and of the declared json-key.
func matchSecret(d Declared, e baked.Entry) (msg string, reason error) {
	switch {
	case d.SecretID == "":
		return "was baked from Secrets Manager, but the spec declares an SSM parameter", ErrOtherParameter
	case !e.SecretsManager():
		return "was baked from an SSM parameter, but the spec declares a Secrets Manager secret", ErrOtherParameter
	case !sameSecret(d.SecretID, e.ARN):
		return fmt.Sprintf("was baked from %s, but the spec declares secret-id %s", shown(secretARN, e.ARN, "an ARN that names no Secrets Manager secret"), d.SecretID), ErrOtherParameter
	case d.VersionID != "" && d.VersionID != e.VersionID:
		return fmt.Sprintf("was baked from version %s, but the spec declares version-id %s", shown(versionID, e.VersionID, "another version"), d.VersionID), ErrOtherVersion
	case d.JSONKey != e.JSONKey:
		return "was baked from another json-key than the spec declares", ErrOtherParameter
	}
	return "", nil
}

// The grammars a file's Secrets Manager fields are shown by; one that fails
// is described, not quoted.
var (
	secretARN = regexp.MustCompile(`^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$`)
	versionID = regexp.MustCompile(`^[A-Za-z0-9-]{32,64}$`)
)

// shown returns s when it passes grammar, else what describes it.
func shown(grammar *regexp.Regexp, s, otherwise string) string {
	if grammar.MatchString(s) {
		return s
	}
	return otherwise
}

// sameSecret reports whether the secret ARN arn may be the one the secret
// id names: the ARN itself, a partial ARN (the ARN without the "-" and six
// characters Secrets Manager appends), or a name. It judges the name only:
// which account and region the secret is in, Secrets Manager tells when it
// is read by the id (seal.Sealer.Check).
func sameSecret(id, arn string) bool {
	if !strings.HasPrefix(id, "arn:") {
		_, arn, _ = strings.Cut(arn, ":secret:")
	}
	return arn == id || len(arn) == len(id)+7 && strings.HasPrefix(arn, id) && arn[len(id)] == '-'
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
