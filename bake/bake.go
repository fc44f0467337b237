package bake

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/progress"
)

// DefaultConcurrency is how many GetParameters calls run at once by default:
// SSM's default read quota is 40 requests per second per account and region,
// shared with everything else, so a few calls in flight are enough.
const DefaultConcurrency = 4

// ssmAPI is the part of the SSM client that bake uses.
type ssmAPI interface {
	GetParameters(ctx context.Context, in *ssm.GetParametersInput, opts ...func(*ssm.Options)) (*ssm.GetParametersOutput, error)
}

// Secret is one secret to bake: its name in the baked file and the SSM
// parameter selector (NAME, NAME:VERSION or NAME:LABEL) it comes from.
type Secret struct {
	Name      string
	Parameter string
}

// Baker reads parameters from SSM and builds baked files.
type Baker struct {
	client      ssmAPI
	concurrency int
	progress    progress.Func
}

// Option configures a Baker.
type Option func(*Baker)

// WithConcurrency sets how many GetParameters calls run at once (at least 1).
func WithConcurrency(n int) Option {
	return func(b *Baker) { b.concurrency = max(n, 1) }
}

// WithProgress sets a function called after each GetParameters call with the
// number of calls done and the total. Calls never overlap, and counts only
// rise.
func WithProgress(f func(done, total int)) Option {
	return func(b *Baker) { b.progress = f }
}

// New returns a Baker that reads through client, an *ssm.Client.
func New(client ssmAPI, opts ...Option) *Baker {
	b := &Baker{client: client, concurrency: DefaultConcurrency}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Bake reads every secret's parameter with WithDecryption=false, in
// GetParameters calls of up to BatchSize distinct selectors, and returns the
// baked file. When any secret cannot be baked it returns Problems listing
// each one, with the entries of the secrets that could be baked, so that the
// caller can check those too before failing; other errors are failures to
// reach SSM, with no file.
func (b *Baker) Bake(ctx context.Context, secrets []Secret) (baked.File, error) {
	refs, problems := collect(secrets)
	groups := batches(refs)
	answers := make([]map[string]types.Parameter, len(groups))
	invalid := make([]map[string]bool, len(groups))
	calls := progress.NewCounter(len(groups), b.progress)

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(b.concurrency)
	for i, group := range groups {
		g.Go(func() error {
			var err error
			answers[i], invalid[i], err = b.get(gctx, group)
			calls.Done()
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	file := baked.File{}
	for i, group := range groups {
		for _, r := range group {
			entry, err := entryFor(r, answers[i], invalid[i])
			for _, s := range r.secrets {
				if err != nil {
					problems = append(problems, &Problem{Name: s.Name, Parameter: s.Parameter, Err: err})
					continue
				}
				file[s.Name] = entry
			}
		}
	}
	if len(problems) > 0 {
		return file, sortProblems(problems, secrets)
	}
	return file, nil
}

// collect checks every selector before any AWS call and groups secrets by
// distinct selector, in declaration order.
func collect(secrets []Secret) ([]*ref, Problems) {
	var (
		refs     []*ref
		bySel    = map[string]*ref{}
		problems Problems
	)
	for _, s := range secrets {
		if _, err := baseName(s.Parameter); err != nil {
			problems = append(problems, &Problem{Name: s.Name, Parameter: s.Parameter, Err: err})
			continue
		}
		r, ok := bySel[s.Parameter]
		if !ok {
			r = &ref{selector: s.Parameter}
			bySel[s.Parameter] = r
			refs = append(refs, r)
		}
		r.secrets = append(r.secrets, s)
	}
	return refs, problems
}

// get makes one GetParameters call and indexes the answer by selector: SSM
// answers each name with the parameter's name and, for "NAME:VERSION" and
// "NAME:LABEL", the Selector it was asked for.
func (b *Baker) get(ctx context.Context, group []*ref) (map[string]types.Parameter, map[string]bool, error) {
	names := make([]string, len(group))
	for i, r := range group {
		names[i] = r.selector
	}
	out, err := b.client.GetParameters(ctx, &ssm.GetParametersInput{Names: names, WithDecryption: aws.Bool(false)})
	if err != nil {
		return nil, nil, fmt.Errorf("failed to get parameters: %w", err)
	}
	found := make(map[string]types.Parameter, len(out.Parameters))
	for _, p := range out.Parameters {
		found[aws.ToString(p.Name)+aws.ToString(p.Selector)] = p
	}
	invalid := make(map[string]bool, len(out.InvalidParameters))
	for _, n := range out.InvalidParameters {
		invalid[n] = true
	}
	return found, invalid, nil
}

// entryFor turns SSM's answer for one selector into a baked entry.
func entryFor(r *ref, found map[string]types.Parameter, invalid map[string]bool) (baked.Entry, error) {
	p, ok := found[r.selector]
	if invalid[r.selector] || !ok {
		return baked.Entry{}, ErrNotFound
	}
	if p.Type != types.ParameterTypeSecureString {
		return baked.Entry{}, fmt.Errorf("%w: it is a %s parameter, whose plaintext would be baked; store it as a SecureString with a customer-managed KMS key", ErrNotSecureString, p.Type)
	}
	value := aws.ToString(p.Value)
	if err := checkCiphertext(value); err != nil {
		return baked.Entry{}, err
	}
	return baked.Entry{
		ARN:        aws.ToString(p.ARN),
		Ciphertext: value,
		Parameter:  r.selector,
		Version:    p.Version,
		Modified:   aws.ToTime(p.LastModifiedDate).UTC().Truncate(time.Second),
	}, nil
}

// sortProblems orders problems as the secrets were declared.
func sortProblems(problems Problems, secrets []Secret) Problems {
	order := make(map[string]int, len(secrets))
	for i, s := range secrets {
		order[s.Name] = i
	}
	slices.SortFunc(problems, func(a, b *Problem) int { return order[a.Name] - order[b.Name] })
	return problems
}
