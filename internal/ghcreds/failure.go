package ghcreds

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"
)

// accessDeniedCode is the STS error code of a trust policy that does not allow the token.
const accessDeniedCode = "AccessDenied"

// failure is a failed retrieval: its message is written for people and holds no token; it
// unwraps to the cause.
type failure struct {
	msg string
	err error
}

func (f *failure) Error() string { return f.msg }

func (f *failure) Unwrap() error { return f.err }

// fail describes err, the error of the last of attempts; token is that attempt's token ("" if
// none) and tokens all the tokens fetched, which the message must not contain.
func (p *roleProvider) fail(err error, attempts int, token string, tokens []string) error {
	after := ""
	if attempts > 1 {
		after = fmt.Sprintf(" after %d attempts", attempts)
	}
	var msg string
	var tokenErr *tokenError
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &tokenErr) && tokenErr.missing():
		err = fmt.Errorf("%w: the job needs `permissions: id-token: write`, and pull requests from forks get no token: %w", ErrNoIDToken, tokenErr.err)
		msg = err.Error()
	case errors.As(err, &tokenErr):
		err = fmt.Errorf("failed to get the GitHub OIDC token for audience %q%s: %w", p.opts.Audience, after, tokenErr.err)
		msg = err.Error()
	case errors.As(err, &apiErr) && apiErr.ErrorCode() == accessDeniedCode:
		msg = fmt.Sprintf("not authorized to assume %s: %s", p.opts.RoleARN, trustHint(p.opts.RoleARN, token))
	case errors.As(err, &apiErr) && apiErr.ErrorCode() == (&types.ExpiredTokenException{}).ErrorCode():
		msg = fmt.Sprintf("failed to assume %s: STS found the GitHub OIDC token expired: %s", p.opts.RoleARN, expiryHint(token))
	default:
		// The SDK's operation error reads better without stscreds' wrapping.
		if opErr := (*smithy.OperationError)(nil); errors.As(err, &opErr) {
			err = opErr
		}
		err = fmt.Errorf("failed to assume %s%s: %w", p.opts.RoleARN, after, err)
		msg = err.Error()
	}
	for _, t := range tokens {
		msg = strings.ReplaceAll(msg, t, "***")
	}
	return &failure{msg: msg, err: err}
}
