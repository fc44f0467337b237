// Package testbed runs the AWS emulator that tests and the demo talk to over HTTP: Python moto,
// patched by moto_aws.py so that SSM SecureStrings are stored as real (moto) KMS ciphertexts bound
// to their parameter ARN, as AWS does, and so that the sessions of IAM roles are held to their
// policies (Seeder.CreateRole and Seeder.AssumeRole make and assume roles; Policy and its kin
// build policies). A counting Proxy in front of it shows which operations a client made and with
// which credentials, and is the place where faults get injected; a Latency server stands in for
// AWS where only round trips matter. A Quota, installed as a Fault on either, throttles as an
// account's request rate quotas do.
//
// Tests share one emulator per test binary through Shared and Main, and stay apart by giving
// everything they create a name starting with UniquePrefix (UniqueRoleName for IAM names).
package testbed
