package testbed

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// The static credentials everything in the test bed signs with; moto maps them to account
// 123456789012.
const (
	accessKeyID     = "testing"
	secretAccessKey = "testing"
)

// AWSConfig returns an SDK configuration that sends every service straight to the emulator.
func (e *Emulator) AWSConfig(region string) aws.Config {
	return awsConfig(e.URL, region)
}

// AWSConfig returns an SDK configuration that sends every service through the proxy.
func (p *Proxy) AWSConfig(region string) aws.Config {
	return awsConfig(p.URL, region)
}

// AWSConfigAs returns an SDK configuration that sends every service straight to the emulator,
// signed with creds (such as a session from Seeder.AssumeRole).
func (e *Emulator) AWSConfigAs(region string, creds aws.Credentials) aws.Config {
	cfg := awsConfig(e.URL, region)
	cfg.Credentials = credentials.StaticCredentialsProvider{Value: creds}
	return cfg
}

// AWSConfigAs returns an SDK configuration that sends every service through the proxy, signed
// with creds.
func (p *Proxy) AWSConfigAs(region string, creds aws.Credentials) aws.Config {
	cfg := awsConfig(p.URL, region)
	cfg.Credentials = credentials.StaticCredentialsProvider{Value: creds}
	return cfg
}

// EnvAs is Env with creds in place of the test bed's credentials: a process given it runs as,
// for instance, an assumed CI role.
func (p *Proxy) EnvAs(region string, creds aws.Credentials) []string {
	return credentialEnv(p.URL, region, creds)
}

// Env returns the environment, as "KEY=value" entries, that points a process's default AWS
// credential and endpoint chain at the proxy and nowhere else; appended to os.Environ() it
// overrides the developer's own AWS settings.
func (p *Proxy) Env(region string) []string {
	return endpointEnv(p.URL, region)
}

// endpointEnv is the environment that sends a process's AWS calls to
// endpoint, signed with the test bed's credentials.
func endpointEnv(endpoint, region string) []string {
	return credentialEnv(endpoint, region, aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: secretAccessKey})
}

// credentialEnv is the environment that sends a process's AWS calls to
// endpoint, signed with creds.
func credentialEnv(endpoint, region string, creds aws.Credentials) []string {
	return []string{
		"AWS_ENDPOINT_URL=" + endpoint,
		"AWS_ACCESS_KEY_ID=" + creds.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + creds.SecretAccessKey,
		"AWS_SESSION_TOKEN=" + creds.SessionToken,
		"AWS_PROFILE=",
		"AWS_REGION=" + region,
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
		"AWS_EC2_METADATA_DISABLED=true",
	}
}

func awsConfig(endpoint, region string) aws.Config {
	return aws.Config{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(accessKeyID, secretAccessKey, ""),
	}
}
