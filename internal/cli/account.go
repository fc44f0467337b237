package cli

import (
	"slices"
	"strings"

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

// checkParameterAccounts checks the accounts of the ARNs of parameters and
// Secrets Manager secrets. With role-to-assume, whose account was checked
// before any call, only the secrets': a parameter is read by its name, in
// the role's account, but a secret may be read by the ARN of another.
func (s awsSettings) checkParameterAccounts(source string, arns ...string) error {
	if s.role.arn != "" {
		arns = slices.DeleteFunc(slices.Clone(arns), func(arn string) bool { return !isSecretsManagerARN(arn) })
	}
	arns = slices.Sorted(slices.Values(arns)) // the same message every run
	return s.checkAccount(source, arns...)
}

// isSecretsManagerARN reports whether arn is a Secrets Manager ARN, in any
// partition.
func isSecretsManagerARN(arn string) bool {
	parts := strings.SplitN(arn, ":", 4)
	return len(parts) == 4 && parts[0] == "arn" && parts[2] == "secretsmanager"
}

// arnsOf lists the parameter ARNs of file's entries.
func arnsOf(file baked.File) []string {
	arns := make([]string, 0, len(file))
	for _, e := range file {
		arns = append(arns, e.ARN)
	}
	return arns
}
