package report

import (
	"fmt"
	"strings"

	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/roles"
)

// RoleProof is what the function role proof found: a result per role it
// checked, the roles it could not check, and how many secrets, or bundle
// chunks, each had.
type RoleProof struct {
	Results   []roles.Result
	Unchecked []Finding // KindRoleNotChecked, one per role named by a reference
	Secrets   int
	// Bundle says that the proof checked the chunks of the file's bundle,
	// which the readers decrypt instead of its secrets: Secrets counts them.
	Bundle bool
}

// Unit names what the proof checked: secrets, or bundle chunks.
func (p *RoleProof) Unit() string {
	if p.Bundle {
		return "bundle chunk(s)"
	}
	return "secret(s)"
}

// calls says how many AWS calls the proof made.
func (p *RoleProof) calls() (assumes, dryRuns int) {
	for _, r := range p.Results {
		dryRuns += r.Checked
	}
	return len(p.Results), dryRuns
}

// markdown renders the proof as a table of roles: can decrypt, refused
// (with KMS's first reason), cannot be assumed, or not checked.
func (p *RoleProof) markdown() string {
	var b strings.Builder
	assumes, dryRuns := p.calls()
	per := "secret"
	if p.Bundle {
		per = "bundle chunk"
	}
	fmt.Fprintf(&b, "### Function roles\n\nEach role was assumed and asked KMS, with a DryRun Decrypt per %s, whether it may decrypt with the Lambda readers' arguments: %d AssumeRole and %d DryRun Decrypt call(s).\n\n", per, assumes, dryRuns)
	b.WriteString("| Role | Result |\n|---|---|\n")
	writeRows(&b, p.Results, "\n%d more role(s) not listed.\n", func(r roles.Result) string {
		return fmt.Sprintf("| %s | %s |\n", codeCell(r.Role), escape.Markdown(cut(roleState(r, p.Secrets, p.Unit()), maxLineRunes)))
	})
	for _, f := range p.Unchecked {
		fmt.Fprintf(&b, "| %s | %s |\n", codeCell(f.Location.String()), escape.Markdown(cut("➖ "+f.Detail, maxLineRunes)))
	}
	return b.String()
}

// roleState says what the proof concluded for one role, of its n secrets
// or chunks (unit).
func roleState(r roles.Result, n int, unit string) string {
	switch {
	case r.AssumeErr != nil:
		return "❌ cannot be assumed: " + r.AssumeErr.Error()
	case len(r.Refused) == 0:
		return fmt.Sprintf("✅ can decrypt all %d %s", n, unit)
	}
	return fmt.Sprintf("❌ refused for %d of %d %s", len(r.Refused), n, unit)
}

// Roles is the outcome of a check-roles run on the baked file at Path.
type Roles struct {
	Path  string
	Proof *RoleProof
}

// render shows the notices, the proof's summary and a line on stdout.
func (o *Roles) render(r *Reporter, err error) error {
	r.warn(o.Proof.Unchecked)
	r.sink.summary("## secret-baker check-roles\n\n" + o.Proof.markdown())
	if err == nil {
		assumes, dryRuns := o.Proof.calls()
		r.println(r.stdout, fmt.Sprintf("%d function role(s) can decrypt the %d %s in %s (%d AssumeRole, %d DryRun Decrypt)", assumes, o.Proof.Secrets, o.Proof.Unit(), o.Path, assumes, dryRuns))
	}
	return err
}
