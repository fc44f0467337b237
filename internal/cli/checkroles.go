package cli

import (
	"context"
	"errors"

	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/verify"
)

// errNoRoles is the refusal of a check-roles run with no role to check.
var errNoRoles = errors.New("no function role to check: give the function-roles input or list function-roles in the spec")

// checkRolesCommand proves that the function roles can decrypt every secret
// the spec declares in an existing baked file; it needs only the file, the
// spec and the run's right to assume the roles.
type checkRolesCommand struct {
	file  string
	roles roleSettings
}

func newCheckRoles(c *config) runner {
	return &checkRolesCommand{file: c.file, roles: c.roleSettings()}
}

func (c *checkRolesCommand) run(ctx context.Context, rc *runContext) (report.Outcome, error) {
	bf, err := readBaked(c.file, rc.ws)
	if err != nil {
		return nil, err
	}
	if checked, unchecked := c.roles.resolve(rc.sp); len(checked) == 0 {
		var out report.Outcome
		if len(unchecked) > 0 { // show why the spec's roles are not checked
			out = &report.Roles{Path: bf.rel, Proof: &report.RoleProof{Unchecked: unchecked}}
		}
		return out, &report.InvalidInput{Err: errNoRoles}
	}
	mismatches := mismatchFindings(verify.Match(bf.file, declared(rc.sp)), rc.sp)
	if err := rc.aws.checkParameterAccounts(fromBakedFile, arnsOf(bf.file)...); err != nil {
		return nil, err
	}
	awsCfg, err := rc.awsConfig(ctx)
	if err != nil {
		return nil, err
	}
	proof, fs, err := c.roles.prove(ctx, rc, awsCfg, bf.document())
	if err != nil {
		return nil, err
	}
	out := &report.Roles{Path: bf.rel, Proof: proof}
	if fs = append(mismatches, fs...); len(fs) > 0 {
		return out, fs
	}
	return out, nil
}
