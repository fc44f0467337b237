package pace

import (
	"math/rand/v2"
	"time"
)

// The backoff before retrying a throttled attempt: full jitter, uniform in [0, d), with d
// doubling from throttleBackoff with each attempt of the call up to maxThrottleBackoff. It stays
// short because the bucket, not the backoff, does the slowing down.
const (
	throttleBackoff    = 25 * time.Millisecond
	maxThrottleBackoff = 400 * time.Millisecond
)

// backoff returns the delay before attempt+1 of a call whose attempt failed with err: short
// and jittered after throttling, the SDK's exponential backoff up to MaxBackoff otherwise.
func (p *Pacer) backoff(attempt int, err error) (time.Duration, error) {
	if !p.throttles.IsErrorThrottle(err).Bool() {
		return p.exponential.BackoffDelay(attempt, err)
	}
	d := maxThrottleBackoff
	if attempt < 8 {
		d = min(throttleBackoff<<max(attempt-1, 0), maxThrottleBackoff)
	}
	return rand.N(d), nil
}
