// Package roles proves, before deploy, that the Lambda functions' own roles
// can decrypt the baked secrets. For each role it assumes the role once
// (sts:AssumeRole from the run's credentials) and, as that role, calls KMS
// Decrypt with DryRun for every secret with the arguments the Lambda readers
// will pass: the ciphertext, the PARAMETER_ARN encryption context and the
// recorded key as KeyId. KMS evaluates the key policy, grants, identity
// policies, boundaries, SCPs and their conditions against this request, and
// answers DryRunOperationException when the call would succeed; no plaintext
// is ever produced. The request context is the check session's, not the
// function's, so conditions on what differs, such as
// lambda:SourceFunctionArn, aws:SourceVpc, aws:SourceVpce, aws:SourceIp,
// aws:userid or the session name, are not proved.
//
// It knows nothing of GitHub or YAML: roles and secrets come in, one Result
// per role comes out.
package roles
