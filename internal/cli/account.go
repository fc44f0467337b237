package cli

import (
	"slices"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/report"
)

// Where the account guard takes the account from, for its messages.
const (
	fromRole          = "role-to-assume"
	fromSSM           = "the parameter ARNs SSM returned"
	fromBakedFile     = "the parameter ARNs in the baked file"
	fromFunctionRoles = "the function roles"
)

// checkAccount refuses the run when one of arns names an account that the
// allowed-account-ids input does not list.
func (s awsSettings) checkAccount(source string, arns ...string) error {
	if err := s.allowed.Check(source, arns...); err != nil {
		return report.Findings{{Kind: report.KindAccount, Reason: err}}
	}
	return nil
}

// checkParameterAccounts checks the accounts of parameter ARNs, unless
// role-to-assume named the account, which was checked before any call.
func (s awsSettings) checkParameterAccounts(source string, arns ...string) error {
	if s.role.arn != "" {
		return nil
	}
	arns = slices.Sorted(slices.Values(arns)) // the same message every run
	return s.checkAccount(source, arns...)
}

// arnsOf lists the parameter ARNs of file's entries.
func arnsOf(file baked.File) []string {
	arns := make([]string, 0, len(file))
	for _, e := range file {
		arns = append(arns, e.ARN)
	}
	return arns
}
