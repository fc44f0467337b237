package pace

import (
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/middleware"
)

// Defaults of Options, and the run deadline they are designed for.
const (
	// DefaultSSMRate is Parameter Store's default throughput quota: 40 GetParameter,
	// GetParameters and GetParametersByPath requests a second per account and region, shared
	// with everything else in the account. Accounts on higher throughput may raise it.
	DefaultSSMRate = 40.0
	// DefaultKMSRate caps KMS requests at 1,000 a second, about what 16 Decrypt calls in flight
	// reach at 15 ms each, and a tenth of the smallest symmetric cryptographic quota: the rest
	// is left to the Lambda functions that decrypt these secrets in production.
	DefaultKMSRate = 1000.0
	// DefaultSecretsManagerRate is Secrets Manager's documented quota of
	// GetSecretValue and DescribeSecret requests a second, shared.
	DefaultSecretsManagerRate = 10000.0
	// DefaultMaxAttempts is how many attempts a call makes when it fails other than by
	// throttling: connection errors, timeouts, 5xx answers.
	DefaultMaxAttempts = 5
	// DefaultMaxBackoff bounds the exponential backoff between those attempts.
	DefaultMaxBackoff = 5 * time.Second
	// DefaultTimeout is the overall deadline a run should set on its context: throttling is
	// retried until then. Without a deadline, a call stops retrying throttles after it.
	DefaultTimeout = 5 * time.Minute
)

// BurstWindow is how much of its rate a service's bucket lets through at once, from the start,
// and at least one request: a run of up to 200 secrets (20 GetParameters) is not slowed down
// at all.
const BurstWindow = 500 * time.Millisecond

// Options configure a Pacer; zero fields take the defaults.
type Options struct {
	// SSMRate, KMSRate and SecretsManagerRate are the request rates, per second, each service starts at and never
	// exceeds.
	SSMRate, KMSRate, SecretsManagerRate float64
	// MaxAttempts and MaxBackoff bound the retries of failures other than throttling.
	MaxAttempts int
	MaxBackoff  time.Duration
	// MaxThrottled is how long a call whose context has no deadline keeps retrying throttles.
	MaxThrottled time.Duration
}

// Pacer paces and retries the AWS calls of one run; share one between all its clients.
type Pacer struct {
	opts        Options
	buckets     map[string]*bucket // by SDK service ID; services without one are not paced
	throttles   retry.IsErrorThrottles
	retryable   retry.IsErrorRetryables
	exponential *retry.ExponentialJitterBackoff
}

// New returns a Pacer with opts.
func New(opts Options) *Pacer {
	opts.SSMRate = orDefault(opts.SSMRate, DefaultSSMRate)
	opts.KMSRate = orDefault(opts.KMSRate, DefaultKMSRate)
	opts.SecretsManagerRate = orDefault(opts.SecretsManagerRate, DefaultSecretsManagerRate)
	opts.MaxAttempts = orDefault(opts.MaxAttempts, DefaultMaxAttempts)
	opts.MaxBackoff = orDefault(opts.MaxBackoff, DefaultMaxBackoff)
	opts.MaxThrottled = orDefault(opts.MaxThrottled, DefaultTimeout)
	return &Pacer{
		opts:        opts,
		buckets:     map[string]*bucket{"SSM": newBucket(opts.SSMRate), "KMS": newBucket(opts.KMSRate), "Secrets Manager": newBucket(opts.SecretsManagerRate)},
		throttles:   retry.IsErrorThrottles(retry.DefaultThrottles),
		retryable:   append(retry.IsErrorRetryables{retry.IsErrorRetryableFunc(notExhausted)}, retry.DefaultRetryables...),
		exponential: retry.NewExponentialJitterBackoff(opts.MaxBackoff),
	}
}

// orDefault returns v, or def when v is not positive.
func orDefault[T int | float64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// LoadOptions installs the Pacer into the AWS configuration being loaded: the retryer of every
// client, and the middleware that paces each attempt.
func (p *Pacer) LoadOptions(o *awsconfig.LoadOptions) error {
	o.Retryer = p.Retryer
	o.APIOptions = append(o.APIOptions, p.addMiddleware)
	return nil
}

// Configure installs the Pacer into cfg as LoadOptions does into a configuration being loaded.
func (p *Pacer) Configure(cfg *aws.Config) {
	cfg.Retryer = p.Retryer
	cfg.APIOptions = append(cfg.APIOptions, p.addMiddleware)
}

// Retryer returns the SDK's standard retryer without its attempt limit, which the pacing
// middleware applies to failures other than throttling, and without its retry quota, which
// would turn throttling into failures; its backoff is backoff's.
func (p *Pacer) Retryer() aws.Retryer {
	standard := retry.NewStandard(func(o *retry.StandardOptions) {
		o.Retryables = p.retryable
		o.Backoff = retry.BackoffDelayerFunc(p.backoff)
		o.RateLimiter = ratelimit.None
	})
	return retry.AddWithMaxAttempts(standard, 0)
}

// addMiddleware adds the pacing middleware around every attempt of an operation.
func (p *Pacer) addMiddleware(stack *middleware.Stack) error {
	if err := stack.Finalize.Insert(callMiddleware{}, "Retry", middleware.Before); err != nil {
		return err
	}
	return stack.Finalize.Insert(attemptMiddleware{p}, "Retry", middleware.After)
}

// notExhausted makes a call that used up its attempts final, whatever failed last.
func notExhausted(err error) aws.Ternary {
	if maxAttempts := (*retry.MaxAttemptsError)(nil); errors.As(err, &maxAttempts) {
		return aws.FalseTernary
	}
	if throttled := (*ThrottledError)(nil); errors.As(err, &throttled) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}
