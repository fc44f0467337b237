// Package accounts is the account guard: it refuses AWS credentials of an
// account that is not on an allow list, telling the account from ARNs the run
// already holds (the role to assume, the parameters SSM returned or a baked
// file names), so that the check costs no API call.
package accounts

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
)

// ErrNotAllowed is wrapped by the error of a refused account.
var ErrNotAllowed = errors.New("AWS account not allowed")

// Allowed is the list of AWS account IDs a run may use; the zero Allowed, the
// empty list, allows every account. It is comparable, so that a configuration
// holding it compares with ==.
type Allowed struct {
	ids string // the IDs, separated by ", "
}

// Empty reports whether the list is empty, which allows every account.
func (a Allowed) Empty() bool { return a.ids == "" }

// String returns the IDs separated by ", ".
func (a Allowed) String() string { return a.ids }

// Parse reads a comma-separated list of 12-digit AWS account IDs, with
// whitespace allowed around each. A blank list is the empty list. The error
// names the first bad item, quoted with control characters escaped.
func Parse(list string) (Allowed, error) {
	if strings.TrimSpace(list) == "" {
		return Allowed{}, nil
	}
	items := strings.Split(list, ",")
	ids := make([]string, len(items))
	for i, item := range items {
		id := strings.TrimSpace(item)
		switch {
		case id == "":
			return Allowed{}, fmt.Errorf("item %d of %d is empty: want 12-digit AWS account IDs separated by commas", i+1, len(items))
		case !isAccountID(id):
			return Allowed{}, fmt.Errorf("item %d of %d, %s, is not a 12-digit AWS account ID", i+1, len(items), strconv.Quote(id))
		}
		ids[i] = id
	}
	return Allowed{strings.Join(ids, ", ")}, nil
}

// Check returns an error wrapping ErrNotAllowed unless every ARN names an
// allowed account; an ARN that names no account is refused too. source says
// where the ARNs come from, for the message. An empty list allows any ARN.
func (a Allowed) Check(source string, arns ...string) error {
	if a.ids == "" {
		return nil
	}
	ids := strings.Split(a.ids, ", ")
	var refused []string
	for i, s := range arns {
		parsed, err := arn.Parse(s)
		if err != nil || !isAccountID(parsed.AccountID) {
			// Not quoted: it failed the grammar it was meant to have.
			return fmt.Errorf("%w: cannot tell the account of ARN %d of %d, which is no ARN with an account ID (%s)", ErrNotAllowed, i+1, len(arns), source)
		}
		if !slices.Contains(ids, parsed.AccountID) && !slices.Contains(refused, parsed.AccountID) {
			refused = append(refused, parsed.AccountID)
		}
	}
	if len(refused) == 0 {
		return nil
	}
	slices.Sort(refused)
	subject := "account " + refused[0] + " of " + source + " is"
	if len(refused) > 1 {
		subject = "accounts " + strings.Join(refused, ", ") + " of " + source + " are"
	}
	return fmt.Errorf("%w: %s not in allowed-account-ids (%s)", ErrNotAllowed, subject, a.ids)
}

// isAccountID reports whether s is 12 ASCII digits.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
