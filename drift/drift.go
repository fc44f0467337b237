package drift

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
)

// Problems of an entry that drift cannot judge; test with errors.Is.
var (
	// ErrNotRecorded is the problem of an entry that does not record its
	// version, such as one made by serverless-secret-baker: there is
	// nothing to compare SSM's version with.
	ErrNotRecorded = errors.New("the baked file does not record the parameter and version of this secret; bake it with secret-baker")
	// ErrOtherARN is the problem of an entry whose ARN is not the one SSM
	// answers for its parameter: another partition, region, account or
	// name than the credentials reach.
	ErrOtherARN = errors.New("the baked file's parameter ARN is not the one SSM answers (another partition, region, account or name)")
)

// baker is the part of *bake.Baker that drift uses.
type baker interface {
	Bake(ctx context.Context, secrets []bake.Secret) (baked.File, error)
}

// Result is what drift found for one secret of a baked file.
type Result struct {
	// Name is the secret's name; Parameter its selector as the spec
	// declares it, which decides what current means.
	Name      string
	Parameter string
	// Selector is Parameter parsed: how it picks its version.
	Selector baked.Selector
	// Baked is the baked version, BakedSet when it was set (zero when the
	// file does not record it and SSM no longer answers for it).
	Baked    int64
	BakedSet time.Time
	// Current is the version SSM answers now: the parameter's latest for an
	// unpinned secret or a version pin, the labelled one for a label pin.
	// CurrentSet is when it was set.
	Current    int64
	CurrentSet time.Time
	// CurrentARN is the parameter or secret ARN AWS answers, for the
	// account guard.
	CurrentARN string
	// BakedID and CurrentID are a Secrets Manager secret's baked version id
	// and the one that holds Stage now; empty for an SSM parameter.
	BakedID, CurrentID, Stage string
	// LastRotated and NextRotation are a Secrets Manager secret's rotation
	// dates, zero when unknown.
	LastRotated, NextRotation time.Time
	// pinned tells that the spec pins a Secrets Manager version.
	pinned bool
	// Stale is whether a bake now would take another version than Baked, or
	// the same version number of a parameter deleted and created again
	// (another ciphertext): never for a version pin.
	Stale bool
	// Problem is why the secret cannot be checked, nil when it was: it wraps
	// ErrNotRecorded or one of bake's reasons (bake.ErrNotFound for a deleted
	// parameter or label, bake.ErrNotSecureString for one turned into a
	// String). A problem is not drift.
	Problem error
}

// Newer reports whether the parameter has versions newer than the one a
// version pin bakes.
func (r Result) Newer() bool {
	return r.Selector.Version != 0 && r.Problem == nil && r.Current > r.Baked
}

// Checker compares baked files with SSM.
type Checker struct {
	baker baker
}

// New returns a Checker that reads SSM through b, a *bake.Baker.
func New(b baker) *Checker {
	return &Checker{baker: b}
}

// Check compares the entry of every declared secret that file holds with
// SSM and returns the results in name order. What the declaration says
// (bake.Secret's Parameter), not what the file records, decides which
// version is current; an entry that no declaration names is neither read
// nor reported. Its error is a failure to reach SSM; a secret that cannot be
// checked is a Result with a Problem.
func (c *Checker) Check(ctx context.Context, file baked.File, declared []bake.Secret) ([]Result, error) {
	declared = slices.SortedFunc(slices.Values(declared), func(a, b bake.Secret) int { return strings.Compare(a.Name, b.Name) })
	var results []Result
	var asks []bake.Secret
	for _, d := range declared {
		e, ok := file[d.Name]
		if !ok {
			continue
		}
		r := Result{Name: d.Name, Parameter: d.Parameter, Baked: e.Version, BakedSet: e.Modified}
		if e.Version == 0 {
			r.Problem = ErrNotRecorded
		} else if r.Selector, r.Problem = baked.ParseSelector(d.Parameter); r.Problem == nil {
			asks = append(asks, bake.Secret{Name: d.Name, Parameter: ask(d.Parameter, r.Selector)})
		}
		results = append(results, r)
	}
	if len(asks) == 0 {
		return results, nil
	}
	now, err := c.baker.Bake(ctx, asks)
	problems := map[string]error{}
	if ps := (bake.Problems)(nil); errors.As(err, &ps) {
		for _, p := range ps {
			problems[p.Name] = p.Err
		}
	} else if err != nil {
		return nil, fmt.Errorf("failed to read the current versions: %w", err)
	}
	for i := range results {
		compare(&results[i], file[results[i].Name], now, problems)
	}
	return results, nil
}

// ask is the name to ask SSM for a selector: NAME:LABEL as it is; the bare
// name for NAME and NAME:VERSION, whose answer is the current version.
func ask(parameter string, sel baked.Selector) string {
	if sel.Label != "" {
		return parameter
	}
	return sel.Name
}

// compare fills r in from SSM's answer now for the entry that was baked,
// unless r already has a problem.
func compare(r *Result, was baked.Entry, now baked.File, problems map[string]error) {
	if r.Problem != nil {
		return
	}
	if err, ok := problems[r.Name]; ok {
		r.Problem = err
		return
	}
	is := now[r.Name]
	r.Current, r.CurrentSet, r.CurrentARN = is.Version, is.Modified, is.ARN
	if is.ARN != was.ARN {
		r.Problem = ErrOtherARN
		return
	}
	same := is.Version == was.Version && is.Ciphertext == was.Ciphertext
	if same && r.BakedSet.IsZero() {
		r.BakedSet = r.CurrentSet
	}
	r.Stale = r.Selector.Version == 0 && !same
}
