package verify

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/progress"
	"github.com/org/secret-baker/rules"
)

// DefaultConcurrency is how many secrets are decrypted at once by default. KMS allows by default
// 5,500 symmetric cryptographic requests per second per account and region (10,000 or 50,000 in
// the busiest Regions), a quota shared with the Lambda functions that decrypt these secrets in
// production. 16 requests in flight, at tens of milliseconds each, stay within a few hundred
// requests per second, a few percent of that quota, and still verify hundreds of secrets in
// about a second.
const DefaultConcurrency = 16

// kmsAPI is the part of the KMS client that verify uses.
type kmsAPI interface {
	Decrypt(ctx context.Context, in *kms.DecryptInput, opts ...func(*kms.Options)) (*kms.DecryptOutput, error)
}

// Secret is one baked secret to verify.
type Secret struct {
	// Name is the secret's name in the baked file.
	Name string
	// Entry is the secret's baked entry.
	Entry baked.Entry
	// Rules are the validators its plaintext must pass.
	Rules rules.Set
}

// Verifier trial-decrypts baked secrets with KMS and checks their plaintext.
type Verifier struct {
	client      kmsAPI
	ssm         ssmAPI // nil: refused Decrypts are not explained
	concurrency int
	requiredKey string
	mask        func(value string)
	keep        func(name string, plaintext []byte)
	progress    progress.Func
	callbacks   sync.Mutex // serialises mask and progress calls
}

// Option configures a Verifier.
type Option func(*Verifier)

// WithConcurrency sets how many Decrypt calls run at once (at least 1).
func WithConcurrency(n int) Option {
	return func(v *Verifier) { v.concurrency = max(n, 1) }
}

// WithRequiredKey requires every secret to be encrypted with key, an alias name, key ID or key
// ARN (or alias ARN). KMS enforces it: Decrypt is called with it as KeyId, and returns its ARN.
func WithRequiredKey(key string) Option {
	return func(v *Verifier) { v.requiredKey = key }
}

// WithMask sets a function called with each non-empty decrypted plaintext before anything else
// is done with it, so that the caller can mask it in its logs. Calls never overlap.
func WithMask(f func(value string)) Option {
	return func(v *Verifier) { v.mask = f }
}

// WithPlaintexts sets a function called with the name and plaintext of each secret that
// decrypts under its key, for a caller that needs the values again in this run (a bundle is
// sealed from them) rather than decrypting them a second time. The plaintext is cleared when f
// returns: f copies what it keeps, and clears its copy when done. Calls never overlap.
func WithPlaintexts(f func(name string, plaintext []byte)) Option {
	return func(v *Verifier) { v.keep = f }
}

// WithProgress sets a function called after each secret is checked with the number of secrets
// done and the total. Calls never overlap, also with mask calls, and counts only rise.
func WithProgress(f func(done, total int)) Option {
	return func(v *Verifier) { v.progress = f }
}

// New returns a Verifier that decrypts through client, a *kms.Client.
func New(client kmsAPI, opts ...Option) *Verifier {
	v := &Verifier{client: client, concurrency: DefaultConcurrency, mask: func(string) {}}
	for _, o := range opts {
		o(v)
	}
	return v
}

// run is the state of one Verify call.
type run struct {
	*Verifier
	checked *progress.Counter
}

// Verify checks every secret, all of them even when some fail, and returns one Result per
// secret in input order. Every problem with a secret is a Finding; the error is for the rest:
// an unusable required key (ErrRequiredKey), a cancelled ctx, KMS unreachable or failing. A
// clean run makes one Decrypt per secret and no other call.
func (v *Verifier) Verify(ctx context.Context, secrets []Secret) ([]Result, error) {
	if v.requiredKey != "" {
		if err := checkRequired(v.requiredKey); err != nil {
			return nil, err
		}
	}
	r := &run{Verifier: v, checked: progress.NewCounter(len(secrets), v.progress)}
	results := make([]Result, len(secrets))
	refusals := make([]*refusal, len(secrets))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(v.concurrency)
	for i, s := range secrets {
		g.Go(func() error {
			res, refused, err := r.verify(gctx, s)
			if errors.Is(err, ErrRequiredKey) {
				return err // about the key, not the secret
			}
			if err != nil {
				return fmt.Errorf("failed to verify secret %q: %w", s.Name, err)
			}
			results[i], refusals[i] = res, refused
			r.secretDone()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := r.explain(ctx, secrets, results, refusals); err != nil {
		return nil, err
	}
	return results, nil
}

// verify runs every check on one secret, except for a refused Decrypt, which it returns for
// explain. The plaintext lives only until it returns.
func (r *run) verify(ctx context.Context, s Secret) (Result, *refusal, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, nil, err
	}
	res := Result{Name: s.Name, Parameter: s.Entry.Parameter, Version: s.Entry.Version, Checks: []string{CheckDecrypt}}
	d, err := r.decrypt(ctx, s.Entry)
	if err != nil {
		return Result{}, nil, err
	}
	defer clear(d.plaintext)
	if d.failure != nil {
		res.Findings = append(res.Findings, *d.failure)
	}
	if !d.ok {
		return res, d.refused, nil
	}

	if r.keep != nil {
		r.callbacks.Lock()
		r.keep(s.Name, d.plaintext)
		r.callbacks.Unlock()
	}
	res.KeyARN = d.keyARN
	res.Checks = append(res.Checks, CheckKey)
	if s.Entry.KeyARN != "" && s.Entry.KeyARN != d.keyARN {
		res.Findings = append(res.Findings, Finding{Check: CheckKey, Reason: ErrWrongKey, Message: fmt.Sprintf(
			"encrypted with key %s, but the baked file records key %s; bake the secret again", d.keyARN, s.Entry.KeyARN)})
	}
	if s.Rules.Regex != nil {
		res.Checks = append(res.Checks, CheckRegex)
		res.Findings = append(res.Findings, ruleFindings(CheckRegex, s.Rules.Regex.Check(d.plaintext))...)
	}
	if s.Rules.Schema != nil {
		res.Checks = append(res.Checks, CheckSchema)
		res.Findings = append(res.Findings, ruleFindings(CheckSchema, s.Rules.Schema.Check(d.plaintext))...)
	}
	return res, nil, nil
}

// maskPlaintext hands a decrypted plaintext to the mask callback.
func (v *Verifier) maskPlaintext(plaintext []byte) {
	if len(plaintext) == 0 {
		return
	}
	v.callbacks.Lock()
	defer v.callbacks.Unlock()
	v.mask(string(plaintext))
}

// secretDone counts a checked secret and reports progress.
func (r *run) secretDone() {
	r.callbacks.Lock()
	defer r.callbacks.Unlock()
	r.checked.Done()
}

// ruleFindings turns the violations of the rule check into findings.
func ruleFindings(check string, violations []rules.Violation) []Finding {
	findings := make([]Finding, len(violations))
	for i, v := range violations {
		findings[i] = Finding{Check: check, Reason: v.Reason, Message: v.Message, InstanceLocation: v.InstanceLocation, KeywordLocation: v.KeywordLocation}
	}
	return findings
}
