package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"

	"github.com/org/secret-baker/internal/accounts"
	"github.com/org/secret-baker/internal/ghcreds"
	"github.com/org/secret-baker/internal/pace"
)

// Time bounds for reaching AWS. With retryMaxAttempts attempts, a dead
// endpoint fails a call within about
// retryMaxAttempts × (requestTimeout + retryMaxBackoff); throttling is
// retried without an attempt limit (internal/pace).
const (
	connectTimeout    = 5 * time.Second
	requestTimeout    = 30 * time.Second
	retryMaxAttempts  = 5
	retryMaxBackoff   = 5 * time.Second
	maxConnsPerHost   = 64
	idleConnsPerHost  = 64
	tlsHandshakeLimit = 10 * time.Second
)

// awsSettings are the inputs that say how a run reaches AWS.
type awsSettings struct {
	region  string
	role    roleConfig
	ssmRate int              // SSM requests per second to pace to
	smRate  int              // Secrets Manager requests per second to pace to
	allowed accounts.Allowed // the accounts the credentials may belong to; empty: any
}

// config builds the one AWS configuration of a run: credentials from the
// role assumed with the job's OIDC token, else the SDK's default chain; the
// SDK's endpoint settings (AWS_ENDPOINT_URL and friends); one shared HTTP
// client; and calls paced to the account's quotas, throttling retried until
// the context's deadline and other failures a bounded number of times. token
// and mask serve the role's OIDC exchange. With role-to-assume, the role's account is
// checked against allowed-account-ids before any call.
func (s awsSettings) config(ctx context.Context, token ghcreds.TokenFunc, mask func(string)) (aws.Config, error) {
	if s.role.arn != "" {
		if err := s.checkAccount(fromRole, s.role.arn); err != nil {
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
		awsconfig.WithRegion(s.region),
		awsconfig.WithHTTPClient(httpClient),
		pace.New(pace.Options{SSMRate: float64(s.ssmRate), SecretsManagerRate: float64(s.smRate), MaxAttempts: retryMaxAttempts, MaxBackoff: retryMaxBackoff}).LoadOptions,
	)
	if err != nil {
		return aws.Config{}, fmt.Errorf("failed to load AWS configuration: %w", err)
	}
	return ghcreds.Configure(ctx, cfg, s.role.options(token, mask))
}
