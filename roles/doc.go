// Package roles proves, before deploy, that the Lambda functions' own roles
// can decrypt the baked secrets. For each role it assumes the role once
// (sts:AssumeRole from the run's credentials) and, as that role, calls KMS
// Decrypt with DryRun for every secret exactly as the Lambda readers will:
// the ciphertext, the PARAMETER_ARN encryption context and the recorded key
// as KeyId. KMS evaluates the key policy, grants, identity policies,
// boundaries, SCPs and conditions, and answers DryRunOperationException when
// the call would succeed; no plaintext is ever produced.
//
// It knows nothing of GitHub or YAML: roles and secrets come in, one Result
// per role comes out.
package roles
