// Package pace paces and retries a run's AWS calls. Each service has a client-side token bucket
// that starts at the account's known default quota and adjusts to what the account has left:
// it halves its rate when throttled and climbs back by small steps on success (AIMD), so that
// concurrent runs sharing one quota settle on their shares instead of sleeping through it.
// A throttled call is retried after a short jittered backoff, without an attempt limit, until
// its context ends; any other retryable failure keeps the SDK's bounded, exponential retries.
//
// Install it with one load option: awsconfig.LoadDefaultConfig(ctx, pace.New(opts).LoadOptions).
package pace
