package pace

import (
	"context"
	"fmt"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
)

// ThrottledError ends a call that was throttled for longer than Options.MaxThrottled while its
// context had no deadline.
type ThrottledError struct {
	For time.Duration
	Err error
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("throttled for %v, giving up: %v", e.For.Round(time.Second), e.Err)
}

func (e *ThrottledError) Unwrap() error { return e.Err }

// call is the state of one operation call across its attempts. Attempts are sequential, so it
// needs no lock.
type call struct {
	start    time.Time
	failures int // attempts that failed other than by throttling
}

type callKey struct{}

// callMiddleware, before the SDK's retry loop, gives each operation call its state.
type callMiddleware struct{}

func (callMiddleware) ID() string { return "PaceCall" }

func (callMiddleware) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	return next.HandleFinalize(context.WithValue(ctx, callKey{}, &call{start: time.Now()}), in)
}

// attemptMiddleware, inside the SDK's retry loop, waits for the service's bucket before each
// attempt and feeds the outcome back to it. It ends the call's retries once failures other
// than throttling reach MaxAttempts, or once throttling outlasts MaxThrottled without a
// deadline, by wrapping the error in one the retryer does not retry.
type attemptMiddleware struct{ p *Pacer }

func (attemptMiddleware) ID() string { return "PaceAttempt" }

func (m attemptMiddleware) HandleFinalize(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (
	middleware.FinalizeOutput, middleware.Metadata, error,
) {
	b := m.p.buckets[awsmiddleware.GetServiceID(ctx)]
	if b != nil {
		if err := b.wait(ctx); err != nil {
			return middleware.FinalizeOutput{}, middleware.Metadata{}, err
		}
	}
	sent := time.Now()
	out, md, err := next.HandleFinalize(ctx, in)
	if err == nil {
		return out, md, nil
	}
	c := ctx.Value(callKey{}).(*call) // callMiddleware runs first: addMiddleware adds both
	if m.p.throttles.IsErrorThrottle(err).Bool() {
		if b != nil {
			b.throttled(sent, time.Now())
		}
		if _, ok := ctx.Deadline(); !ok && time.Since(c.start) >= m.p.opts.MaxThrottled {
			err = &ThrottledError{For: time.Since(c.start), Err: err}
		}
	} else if m.p.retryable.IsErrorRetryable(err).Bool() {
		if c.failures++; c.failures >= m.p.opts.MaxAttempts {
			err = &retry.MaxAttemptsError{Attempt: c.failures, Err: err}
		}
	}
	return out, md, err
}
