package ghcreds

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/sts/types"
)

// retryPolicy bounds one credential retrieval and spaces its attempts.
type retryPolicy struct {
	// attempts is the most attempts (token plus STS call) made.
	attempts int
	// base and max shape the backoff: before attempt n+1 it waits base·2^(n-1), at most max,
	// jittered down by up to half.
	base, max time.Duration
	// budget is the time after the first attempt's start past which no retry starts.
	budget time.Duration
	// attemptTimeout bounds one attempt, as the credentials cache drops the caller's deadline.
	attemptTimeout time.Duration

	now   func() time.Time
	sleep func(context.Context, time.Duration) error
	// randN returns a uniform random number in [0, n).
	randN func(n int64) int64
}

// standardRetry is the policy of Provider: at most 5 attempts within about a minute.
func standardRetry() retryPolicy {
	return retryPolicy{
		attempts:       5,
		base:           time.Second,
		max:            8 * time.Second,
		budget:         time.Minute,
		attemptTimeout: 30 * time.Second,
		now:            time.Now,
		sleep:          sleep,
		randN:          rand.Int64N,
	}
}

// delay returns the wait after failed attempt n (from 1).
func (p retryPolicy) delay(n int) time.Duration {
	d := p.max
	if n <= 30 {
		d = min(p.base<<(n-1), p.max)
	}
	half := d / 2
	return d - half + time.Duration(p.randN(int64(half)+1))
}

// retryableSTS lists the STS failures that another attempt may cure: the SDK's usual ones
// (connection errors, HTTP 5xx, throttling, timeouts) and the two STS documents as transient.
var retryableSTS = retry.IsErrorRetryables(append(retry.IsErrorRetryables{
	retry.RetryableErrorCode{Codes: map[string]struct{}{
		(&types.IDPCommunicationErrorException{}).ErrorCode(): {},
		(&types.InvalidIdentityTokenException{}).ErrorCode():  {},
	}},
}, retry.DefaultRetryables...))

// transient tells whether the failure of an attempt may pass on another attempt.
func transient(err error) bool {
	var tokenErr *tokenError
	if errors.As(err, &tokenErr) {
		return tokenErr.transient()
	}
	return retryableSTS.IsErrorRetryable(err) == aws.TrueTernary
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
