package ghcreds

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// TokenFunc returns the job's GitHub OIDC token for audience, as go-githubactions'
// (*Action).GetIDToken does. An error matching ErrNoIDToken (such as a *NoTokenError) means the
// job gets no token; a *StatusError carries the token endpoint's HTTP status.
type TokenFunc func(ctx context.Context, audience string) (string, error)

// Options selects the role to assume and how. Error messages name the action inputs the fields
// come from.
type Options struct {
	// RoleARN is the IAM role to assume (role-to-assume); empty keeps the SDK's default
	// credential chain and ignores the other fields.
	RoleARN string
	// SessionName names the role session (role-session-name).
	SessionName string
	// Duration is how long the role credentials last (role-duration-seconds): 15 minutes to 12
	// hours, within the role's maximum session duration.
	Duration time.Duration
	// Audience is the aud claim the token is minted for (audience), usually sts.amazonaws.com.
	Audience string
	// Token fetches an OIDC token; it is called once per attempt and need not retry.
	Token TokenFunc
	// Mask receives every token fetched, before anything else uses it, so that the runner
	// hides it from the logs (::add-mask::).
	Mask func(token string)
}

// Limits that STS and IAM put on the inputs.
const (
	maxRoleARNLength = 2048
	minDuration      = 900 * time.Second
	maxDuration      = 43200 * time.Second
)

var (
	roleARNPattern     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$`)
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

// Validate checks the options against the rules of STS, before any call is made: the inputs
// (CheckInputs) and the functions. Without a role there is nothing to check.
func (o Options) Validate() error {
	if o.RoleARN == "" {
		return nil
	}
	errs := []error{o.CheckInputs()}
	if o.Token == nil || o.Mask == nil {
		errs = append(errs, errors.New("invalid options: Token and Mask are required with a role"))
	}
	return errors.Join(errs...)
}

// CheckInputs checks the fields that come from the action's inputs against the rules of IAM and
// STS, so that a caller can refuse them with its other inputs. Without a role there is nothing
// to check.
func (o Options) CheckInputs() error {
	if o.RoleARN == "" {
		return nil
	}
	var errs []error
	switch {
	case len(o.RoleARN) > maxRoleARNLength:
		errs = append(errs, fmt.Errorf("invalid role-to-assume: %d characters, want at most %d", len(o.RoleARN), maxRoleARNLength))
	case !roleARNPattern.MatchString(o.RoleARN):
		errs = append(errs, fmt.Errorf("invalid role-to-assume %q: want an IAM role ARN such as arn:aws:iam::123456789012:role/name", o.RoleARN))
	}
	if !sessionNamePattern.MatchString(o.SessionName) {
		errs = append(errs, fmt.Errorf("invalid role-session-name %q: want 2 to 64 characters among letters, digits and _+=,.@-", o.SessionName))
	}
	if o.Duration < minDuration || o.Duration > maxDuration {
		errs = append(errs, fmt.Errorf("invalid role-duration-seconds %s: want %d to %d seconds", strconv.FormatFloat(o.Duration.Seconds(), 'f', -1, 64), int(minDuration.Seconds()), int(maxDuration.Seconds())))
	}
	if o.Audience == "" {
		errs = append(errs, errors.New("invalid audience \"\": want the audience the role's trust policy expects, such as sts.amazonaws.com"))
	}
	return errors.Join(errs...)
}
