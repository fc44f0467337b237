package main

import (
	"cmp"
	"errors"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
)

// newKMSClient returns a KMS client for the function's region, signing with
// the execution role's credentials that Lambda puts in the environment. It
// reads env itself rather than through the SDK's config package, which would
// link STS, SSO and the shared config files. AWS_ENDPOINT_URL_KMS, else
// AWS_ENDPOINT_URL, overrides the endpoint, as in the SDK.
func newKMSClient(env map[string]string) (*kms.Client, error) {
	region := cmp.Or(env["AWS_REGION"], env["AWS_DEFAULT_REGION"])
	id, secret := env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
	if region == "" || id == "" || secret == "" {
		return nil, errors.New("AWS_REGION, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set, as Lambda sets them")
	}
	opts := kms.Options{
		Region:      region,
		Credentials: credentials.NewStaticCredentialsProvider(id, secret, env["AWS_SESSION_TOKEN"]),
	}
	if endpoint := cmp.Or(env["AWS_ENDPOINT_URL_KMS"], env["AWS_ENDPOINT_URL"]); endpoint != "" {
		opts.BaseEndpoint = &endpoint
	}
	return kms.New(opts), nil
}
