package ghcreds

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// expiryWindow is how long before they expire cached credentials are renewed, so that no request
// is signed with credentials about to lapse.
const expiryWindow = time.Minute

// Provider returns the credentials provider for cfg. With a role: the role's credentials from
// STS AssumeRoleWithWebIdentity, called through a client built from cfg (so AWS_ENDPOINT_URL and
// AWS_ENDPOINT_URL_STS apply) and cached until shortly before they expire. Without a role:
// cfg.Credentials, the SDK's default chain. It makes no call; see Configure.
func Provider(cfg aws.Config, o Options) (aws.CredentialsProvider, error) {
	return provider(cfg, o, standardRetry())
}

// Configure returns cfg with the credentials of Provider, retrieved once already, so that a role
// that cannot be assumed fails here with this package's message rather than inside the first AWS
// call. Without a role it returns cfg unchanged.
func Configure(ctx context.Context, cfg aws.Config, o Options) (aws.Config, error) {
	if o.RoleARN == "" {
		return cfg, nil
	}
	creds, err := Provider(cfg, o)
	if err != nil {
		return aws.Config{}, err
	}
	if _, err := retrieve(ctx, creds); err != nil {
		return aws.Config{}, err
	}
	cfg.Credentials = creds
	return cfg, nil
}

func provider(cfg aws.Config, o Options, policy retryPolicy) (aws.CredentialsProvider, error) {
	if o.RoleARN == "" {
		return cfg.Credentials, nil
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	p := &roleProvider{client: singleRequest{sts.NewFromConfig(cfg)}, opts: o, retry: policy}
	return aws.NewCredentialsCache(p, func(co *aws.CredentialsCacheOptions) {
		co.ExpiryWindow = expiryWindow
	}), nil
}

// retrieve gets credentials from creds, with this package's failure unwrapped from the
// cache's "failed to refresh cached credentials" wrapping.
func retrieve(ctx context.Context, creds aws.CredentialsProvider) (aws.Credentials, error) {
	c, err := creds.Retrieve(ctx)
	if f := (*failure)(nil); errors.As(err, &f) {
		return aws.Credentials{}, f
	}
	return c, err
}

// roleProvider assumes the role, retrying transient failures with a fresh token each time.
type roleProvider struct {
	client stscreds.AssumeRoleWithWebIdentityAPIClient
	opts   Options
	retry  retryPolicy
}

// Retrieve implements aws.CredentialsProvider.
func (p *roleProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	start := p.retry.now()
	var tokens []string
	for n := 1; ; n++ {
		creds, token, err := p.attempt(ctx)
		if err == nil {
			return creds, nil
		}
		if token != "" {
			tokens = append(tokens, token)
		}
		d := p.retry.delay(n)
		last := !transient(err) || n == p.retry.attempts || p.retry.now().Add(d).Sub(start) > p.retry.budget
		if last || p.retry.sleep(ctx, d) != nil {
			return aws.Credentials{}, p.fail(err, n, token, tokens)
		}
	}
}

// attempt fetches a token and calls STS once with it. It returns the token, "" when none came.
func (p *roleProvider) attempt(ctx context.Context) (aws.Credentials, string, error) {
	ctx, cancel := context.WithTimeout(ctx, p.retry.attemptTimeout)
	defer cancel()
	src := &tokenSource{ctx: ctx, fetch: p.opts.Token, mask: p.opts.Mask, audience: p.opts.Audience}
	creds, err := stscreds.NewWebIdentityRoleProvider(p.client, p.opts.RoleARN, src, func(o *stscreds.WebIdentityRoleOptions) {
		o.RoleSessionName = p.opts.SessionName
		o.Duration = p.opts.Duration
	}).Retrieve(ctx)
	return creds, src.token, err
}
