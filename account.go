package main

import (
	"slices"

	"github.com/org/secret-baker/baked"
)

// Where the account guard takes the account from, for its messages.
const (
	fromRole       = "role-to-assume"
	fromSSM        = "the parameter ARNs SSM returned"
	fromBakedFile  = "the parameter ARNs in the baked file"
	accountRefused = "AWS account not allowed"
)

// checkAccount refuses the run when one of arns names an account that the
// allowed-account-ids input does not list.
func checkAccount(cfg *config, source string, arns ...string) error {
	if err := cfg.allowedAccounts.Check(source, arns...); err != nil {
		return findingsError{{title: accountRefused, message: err.Error(), cause: err}}
	}
	return nil
}

// checkParameterAccounts checks the accounts of the parameter ARNs in file,
// unless role-to-assume named the account, which was checked before any call.
func checkParameterAccounts(cfg *config, source string, file baked.File) error {
	if cfg.role.arn != "" {
		return nil
	}
	arns := make([]string, 0, len(file))
	for _, e := range file {
		arns = append(arns, e.ARN)
	}
	slices.Sort(arns) // the same message every run
	return checkAccount(cfg, source, arns...)
}
