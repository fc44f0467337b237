package roles

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/progress"
)

// SessionName is the role session name of every check, so that CloudTrail
// shows what assumed the function roles.
const SessionName = "secret-baker-check"

// sessionSeconds is the shortest session STS grants.
const sessionSeconds = 900

// sessionPolicy is the inline session policy of every check: the session
// may do no more than kms:Decrypt, whatever else the role may do (a session
// policy intersects with the role's permissions).
const sessionPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`

// STSClient is the part of the STS client the proof uses.
type STSClient interface {
	AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, opts ...func(*sts.Options)) (*sts.AssumeRoleOutput, error)
}

// KMSFor returns a KMS client that acts with creds, paced like every KMS
// call of the run.
type KMSFor func(creds aws.CredentialsProvider) baked.KMSClient

// Secret is one Decrypt a Lambda reader makes, to prove: a baked secret's,
// or, for a file with a bundle, one of its chunks' (BundleChunks).
type Secret struct {
	Name  string
	Entry baked.Entry
}

// BundleChunks returns the Decrypts a reader makes for the bundle b instead
// of one per secret: one per chunk, named "bundle chunk I of N", with the
// chunk's encryption context and the bundle's key as KeyId.
func BundleChunks(b *baked.Bundle) []Secret {
	chunks := make([]Secret, len(b.Chunks))
	for i, c := range b.Chunks {
		chunks[i] = Secret{
			Name:  fmt.Sprintf("bundle chunk %d of %d", i+1, len(b.Chunks)),
			Entry: baked.Entry{Ciphertext: c, Context: baked.BundleContext(b.Digest, i+1, len(b.Chunks)), KeyARN: b.Key},
		}
	}
	return chunks
}

// Result is what the proof found for one role.
type Result struct {
	// Role is the role's ARN.
	Role string
	// AssumeErr is why the role could not be assumed, nil when it was; then
	// none of its secrets was checked.
	AssumeErr error
	// Refused maps each secret the role may not decrypt to KMS's reason.
	Refused map[string]error
	// Checked is how many secrets were checked as the role.
	Checked int
}

// OK reports whether the role was assumed and may decrypt every secret.
func (r Result) OK() bool { return r.AssumeErr == nil && len(r.Refused) == 0 }

// Prover runs the proof.
type Prover struct {
	sts         STSClient
	kmsFor      KMSFor
	concurrency int
	progress    progress.Func
}

// Option configures a Prover.
type Option func(*Prover)

// WithConcurrency sets how many DryRun calls are in flight at once (16 by
// default).
func WithConcurrency(n int) Option { return func(p *Prover) { p.concurrency = max(n, 1) } }

// WithProgress reports the DryRun calls done, one call at a time.
func WithProgress(f progress.Func) Option { return func(p *Prover) { p.progress = f } }

// New returns a Prover that assumes roles through stsClient and reaches KMS
// through kmsFor.
func New(stsClient STSClient, kmsFor KMSFor, opts ...Option) *Prover {
	p := &Prover{sts: stsClient, kmsFor: kmsFor, concurrency: 16}
	for _, o := range opts {
		o(p)
	}
	return p
}

// Prove assumes each role once and checks, as it, every secret with one
// DryRun Decrypt; the checks of all roles share the concurrency bound. Its
// error is a failure to reach AWS; a role that cannot be assumed or decrypt
// is a Result.
func (p *Prover) Prove(ctx context.Context, roleARNs []string, secrets []Secret) ([]Result, error) {
	results := make([]Result, len(roleARNs))
	clients := make([]baked.KMSClient, len(roleARNs))
	for i, role := range roleARNs {
		results[i] = Result{Role: role, Refused: map[string]error{}}
		creds, err := p.assume(ctx, role)
		switch {
		case err == nil:
			clients[i] = p.kmsFor(creds)
		case isRefusal(err):
			results[i].AssumeErr = err
		default:
			return nil, fmt.Errorf("failed to assume role %s: %w", role, err)
		}
	}
	reasons := make([][]error, len(roleARNs))
	counter := progress.NewCounter(len(roleARNs)*len(secrets), p.progress)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(p.concurrency)
	for i, client := range clients {
		if client == nil {
			continue
		}
		reasons[i] = make([]error, len(secrets))
		for j, s := range secrets {
			g.Go(func() error {
				defer counter.Done()
				var err error
				if reasons[i][j], err = dryRun(gctx, client, s.Entry); err != nil {
					return fmt.Errorf("failed to check role %s: %w", roleARNs[i], err)
				}
				return nil
			})
		}
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	for i := range results {
		if clients[i] == nil {
			continue
		}
		results[i].Checked = len(secrets)
		for j, reason := range reasons[i] {
			if reason != nil {
				results[i].Refused[secrets[j].Name] = reason
			}
		}
	}
	return results, nil
}

// assume assumes role for the shortest session, limited to kms:Decrypt by
// sessionPolicy.
func (p *Prover) assume(ctx context.Context, role string) (aws.CredentialsProvider, error) {
	out, err := p.sts.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String(role),
		RoleSessionName: aws.String(SessionName),
		DurationSeconds: aws.Int32(sessionSeconds),
		Policy:          aws.String(sessionPolicy),
	})
	if err != nil {
		return nil, err
	}
	c := out.Credentials
	return credentials.NewStaticCredentialsProvider(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)), nil
}

// Codes of KMS's answers to a DryRun Decrypt.
const (
	dryRunOK     = "DryRunOperationException"
	accessDenied = "AccessDeniedException"
)

// dryRun asks KMS whether client may decrypt e with the Lambda readers'
// arguments. It returns KMS's reason when it may not, and an error when KMS
// could not answer.
func dryRun(ctx context.Context, client baked.KMSClient, e baked.Entry) (reason, err error) {
	blob, err := baked.DecodeCiphertext(e.Ciphertext)
	if err != nil {
		return errors.New("the baked ciphertext is not valid base64"), nil
	}
	in := &kms.DecryptInput{CiphertextBlob: blob, EncryptionContext: e.EncryptionContext(), DryRun: aws.Bool(true)}
	if e.KeyARN != "" {
		in.KeyId = aws.String(e.KeyARN)
	}
	out, err := client.Decrypt(ctx, in)
	if out != nil {
		clear(out.Plaintext) // a DryRun never returns one; never keep one
	}
	var apiErr smithy.APIError
	switch {
	case err == nil:
		return nil, errors.New("KMS decrypted instead of answering the DryRun")
	case errors.As(err, &apiErr) && apiErr.ErrorCode() == dryRunOK:
		return nil, nil
	case errors.As(err, &apiErr) && isKMSRefusal(apiErr.ErrorCode()):
		return &Refusal{Code: apiErr.ErrorCode(), Message: apiErr.ErrorMessage()}, nil
	}
	return nil, err
}

// isKMSRefusal tells the codes that say the call, made for real, would fail
// for this role and secret, rather than that KMS could not answer.
func isKMSRefusal(code string) bool {
	switch code {
	case accessDenied, "IncorrectKeyException", "InvalidCiphertextException", "NotFoundException",
		"DisabledException", "KMSInvalidStateException", "InvalidKeyUsageException":
		return true
	}
	return false
}

// isRefusal tells an AssumeRole refusal (the trust policy or the caller's
// policies do not allow it, or STS is off in the region) from a failure to
// reach STS.
func isRefusal(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "AccessDenied" || apiErr.ErrorCode() == "RegionDisabledException")
}

// Refusal is KMS's answer that a role may not make the call: its error code
// and message, which name the key and the principal, never a value.
type Refusal struct {
	Code    string
	Message string
}

func (r *Refusal) Error() string {
	if r.Message == "" {
		return r.Code
	}
	return r.Code + ": " + r.Message
}
