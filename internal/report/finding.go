package report

import (
	"errors"
	"fmt"
	"strings"

	"github.com/org/secret-baker/spec"
)

// Finding is one problem or warning, as data: which secret, parameter and
// version it is about, where the spec declares it, what kind of problem it is
// and why. It never holds a secret value. Only the reporter turns it into
// words (Title and Message).
type Finding struct {
	Kind Kind
	// Secret is the secret's name; empty for a finding about the whole run.
	Secret string
	// Parameter is the secret's source as declared or baked; with Secret it
	// opens the message.
	Parameter string
	// SecretsManager tells that Parameter names a Secrets Manager secret.
	SecretsManager bool
	// Version is the version concerned, 0 when none is.
	Version int64
	// Check is the verify check that failed, for KindCheck.
	Check string
	// Role is the function role concerned, for the KindRole* kinds.
	Role     string
	Location spec.Location
	// Reason is what went wrong, for errors.Is; nil when nothing more is known.
	Reason error
	// Detail says what is wrong in value-free words; empty for Reason's text.
	Detail string
}

// Kind is what sort of finding it is, which decides its title.
type Kind int

// The kinds of finding.
const (
	KindFailed           Kind = iota // the run failed, for a reason not listed below
	KindInvalidInput                 // an input is invalid
	KindSpec                         // the spec is invalid
	KindOutput                       // the spec's output cannot be the baked file
	KindKey                          // the spec's kms-key-id cannot be used
	KindAccount                      // credentials of an account not allowed
	KindCannotBake                   // SSM cannot give a secret's ciphertext
	KindMismatch                     // the baked file departs from the spec
	KindCheck                        // a secret failed a verify check
	KindExpired                      // a version older than its max-age
	KindOld                          // a version older than its warn-age
	KindCannotCheck                  // drift cannot check a secret
	KindStale                        // drift: a secret is stale
	KindStaleRun                     // drift: stale secrets and fail-on-drift
	KindRoleRefused                  // a function role may not decrypt a secret
	KindRoleNotAssumable             // a function role cannot be assumed to check it
	KindRoleNotChecked               // a function role the spec names by a reference: a notice
	KindBundle                       // the bundle does not hold its entries\' values
	KindBundleSize                   // the values take more chunks than a bundle holds
)

// Title is the finding's headline, as an annotation shows it.
func (f Finding) Title() string {
	switch f.Kind {
	case KindInvalidInput, KindFailed:
		return "secret-baker failed"
	case KindSpec:
		return "Invalid secret-baker spec"
	case KindOutput:
		return "Invalid output"
	case KindKey:
		return "Unusable kms-key-id"
	case KindAccount:
		return "AWS account not allowed"
	case KindCannotBake:
		return "Cannot bake " + f.Secret
	case KindMismatch:
		return mismatchTitle(f.Reason)
	case KindCheck:
		return fmt.Sprintf("Secret %s failed the %s check", f.Secret, f.Check)
	case KindExpired:
		return fmt.Sprintf("Secret %s is older than its max-age", f.Secret)
	case KindOld:
		return fmt.Sprintf("Secret %s is older than its warn-age", f.Secret)
	case KindCannotCheck:
		return "Cannot check " + f.Secret
	case KindStale:
		return fmt.Sprintf("Secret %s is stale", f.Secret)
	case KindStaleRun:
		return "Stale secrets"
	case KindRoleRefused:
		return fmt.Sprintf("Role %s cannot decrypt %s", roleName(f.Role), f.Secret)
	case KindRoleNotAssumable:
		return fmt.Sprintf("Cannot assume role %s to check it", roleName(f.Role))
	case KindRoleNotChecked:
		return "Function role not checked"
	case KindBundle:
		return "Bundle does not match the secrets"
	case KindBundleSize:
		return "Bundle too large"
	}
	return "secret-baker failed"
}

// Message says what is wrong: for a finding about a secret's parameter,
// `secret "NAME" (parameter "P", version V): ` and the detail.
func (f Finding) Message() string {
	detail := f.Detail
	if detail == "" && f.Reason != nil {
		detail = f.Reason.Error()
	}
	if f.Secret == "" || f.Parameter == "" {
		return detail
	}
	var b strings.Builder
	source := "parameter"
	if f.SecretsManager {
		source = "Secrets Manager secret"
	}
	fmt.Fprintf(&b, "secret %q (%s %q", f.Secret, source, f.Parameter)
	if f.Version != 0 {
		fmt.Fprintf(&b, ", version %d", f.Version)
	}
	b.WriteString("): " + detail)
	return b.String()
}

// String formats a finding as a compiler would: "file:line:col: message".
func (f Finding) String() string {
	if f.Location.File == "" {
		return f.Message()
	}
	return f.Location.String() + ": " + f.Message()
}

// Findings is a run's failure made of findings.
type Findings []Finding

func (fs Findings) Error() string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the reasons of the findings, so that errors.Is finds them.
func (fs Findings) Unwrap() []error {
	var reasons []error
	for _, f := range fs {
		if f.Reason != nil {
			reasons = append(reasons, f.Reason)
		}
	}
	return reasons
}

// InvalidInput is a problem with the inputs themselves: the run exits 2.
type InvalidInput struct{ Err error }

func (e *InvalidInput) Error() string { return fmt.Sprintf("invalid input: %v", e.Err) }
func (e *InvalidInput) Unwrap() error { return e.Err }

// FindingsOf flattens err into findings: its own when it is Findings, one
// per located spec error, else one finding of the whole error.
func FindingsOf(err error) []Finding {
	var fs Findings
	if errors.As(err, &fs) {
		return fs
	}
	if located := spec.Errors(err); len(located) > 0 {
		out := make([]Finding, len(located))
		for i, e := range located {
			out[i] = Finding{Kind: KindSpec, Location: e.Location, Detail: e.Message, Reason: e}
		}
		return out
	}
	var invalid *InvalidInput
	if errors.As(err, &invalid) {
		return []Finding{{Kind: KindInvalidInput, Detail: err.Error(), Reason: err}}
	}
	return []Finding{{Kind: KindFailed, Detail: err.Error(), Reason: err}}
}

// roleName is the name part of a role ARN, for titles.
func roleName(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}
