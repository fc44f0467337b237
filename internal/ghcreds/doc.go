// Package ghcreds gets the AWS credentials of a run from the GitHub Actions job's OIDC token: it
// exchanges the token for role credentials with STS AssumeRoleWithWebIdentity. Without a role it
// leaves the SDK's default credential chain alone, so that credentials from an earlier
// configure-aws-credentials step, or AWS_ROLE_ARN plus AWS_WEB_IDENTITY_TOKEN_FILE on other CI
// systems, keep working.
//
// The package reads no environment, prints nothing and does not import go-githubactions: the
// caller injects the token fetcher (go-githubactions' GetIDToken, its errors mapped onto
// NoTokenError and StatusError) and the mask callback (::add-mask::).
//
// Layering, from the outside in:
//
//   - aws.CredentialsCache keeps the credentials until shortly before they expire and lets one
//     retrieval run at a time. It hides the caller's cancellation from the retrieval, so the
//     retrieval bounds itself: a few attempts, a total budget, a timeout per attempt.
//   - The role provider of this package runs the attempts. Each fetches a fresh token, masks it
//     and calls STS once through stscreds.WebIdentityRoleProvider. Transient failures (network
//     errors, HTTP 5xx, throttling, IDPCommunicationError, InvalidIdentityToken, and 5xx or
//     network failures of the token endpoint) are retried after a jittered exponential backoff;
//     anything else fails at once: AccessDenied with the token's iss, sub, aud and
//     job_workflow_ref claims (quoted) next to the Federated principal and the trust-policy
//     condition keys they must match, ExpiredToken (a token fetched a moment ago
//     that STS finds expired points at a clock, which retrying does not fix) with the
//     token's lifetime.
//   - The STS client makes exactly one HTTP request per call: its SDK retryer is switched off,
//     since the SDK would resend the same, possibly spent, token, and its retries would
//     multiply with the attempts above.
package ghcreds
