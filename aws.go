package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/org/secret-baker/internal/ghcreds"
)

// Time bounds for reaching AWS. With retryMaxAttempts attempts, a dead
// endpoint fails a call within about
// retryMaxAttempts × (requestTimeout + retryMaxBackoff).
const (
	connectTimeout    = 5 * time.Second
	requestTimeout    = 30 * time.Second
	retryMaxAttempts  = 5
	retryMaxBackoff   = 5 * time.Second
	maxConnsPerHost   = 64
	idleConnsPerHost  = 64
	tlsHandshakeLimit = 10 * time.Second
)

// loadAWSConfig builds the one AWS configuration of a run: credentials from
// the role assumed with the job's OIDC token, else the SDK's default chain;
// the SDK's endpoint settings (AWS_ENDPOINT_URL and friends); one shared HTTP
// client; and adaptive retries that slow down on throttling. token and mask
// serve the role's OIDC exchange. With role-to-assume, the role's account is
// checked against allowed-account-ids before any call.
func loadAWSConfig(ctx context.Context, c *config, token ghcreds.TokenFunc, mask func(string)) (aws.Config, error) {
	region := c.region
	if c.role.arn != "" {
		if err := checkAccount(c, fromRole, c.role.arn); err != nil {
			return aws.Config{}, err
		}
	}
	httpClient := awshttp.NewBuildableClient().
		WithTimeout(requestTimeout).
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = connectTimeout }).
		WithTransportOptions(func(t *http.Transport) {
			t.MaxIdleConnsPerHost = idleConnsPerHost
			t.MaxConnsPerHost = maxConnsPerHost
			t.TLSHandshakeTimeout = tlsHandshakeLimit
		})
	cfg, err := awsconfig.LoadDefaultConfig(ctx,
		awsconfig.WithRegion(region),
		awsconfig.WithHTTPClient(httpClient),
		awsconfig.WithRetryer(func() aws.Retryer {
			return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
				o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
					so.MaxAttempts = retryMaxAttempts
					so.MaxBackoff = retryMaxBackoff
					// Throttling must slow a run down, never fail it: the
					// adaptive rate limiter paces requests, so the standard
					// retry quota would only turn throttling into failures.
					so.RateLimiter = ratelimit.None
				})
			})
		}),
	)
	if err != nil {
		return aws.Config{}, fmt.Errorf("failed to load AWS configuration: %w", err)
	}
	return ghcreds.Configure(ctx, cfg, c.role.options(token, mask))
}
