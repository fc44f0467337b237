package ghcreds

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// singleRequest makes every AssumeRoleWithWebIdentity call one HTTP request, since roleProvider's
// attempts replace the SDK's retries. The SDK retryer is dropped per call, after the options of
// stscreds, which make InvalidIdentityToken retryable, and over the client's, which add
// IDPCommunicationError and AWS_MAX_ATTEMPTS.
type singleRequest struct {
	client stscreds.AssumeRoleWithWebIdentityAPIClient
}

// AssumeRoleWithWebIdentity implements stscreds.AssumeRoleWithWebIdentityAPIClient.
func (s singleRequest) AssumeRoleWithWebIdentity(ctx context.Context, in *sts.AssumeRoleWithWebIdentityInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleWithWebIdentityOutput, error) {
	return s.client.AssumeRoleWithWebIdentity(ctx, in, append(optFns, noRetries)...)
}

func noRetries(o *sts.Options) {
	o.Retryer = aws.NopRetryer{}
	o.RetryMaxAttempts = 0
}
