package drift

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/org/secret-baker/baked"
)

// ErrSecretGone is the problem of a Secrets Manager secret that is deleted,
// scheduled for deletion, or whose stage no version holds.
var ErrSecretGone = errors.New("secret deleted, scheduled for deletion, or no version holds its stage")

// Describer is the part of the Secrets Manager client drift uses: it reads
// versions and stages, never a value.
type Describer interface {
	DescribeSecret(ctx context.Context, in *secretsmanager.DescribeSecretInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error)
}

// DeclaredSecret is a Secrets Manager secret as the spec declares it.
type DeclaredSecret struct {
	Name, SecretID, Stage string
	// Pinned tells that the spec pins a version-id, which is then never
	// stale.
	Pinned bool
	// StageDeclared tells that the spec names Stage, which a pinned version
	// must then hold.
	StageDeclared bool
}

// ErrStageLeft is the problem of a pinned version that no longer holds the
// stage the spec declares: verify and the next bake refuse it.
var ErrStageLeft = errors.New("the pinned version-id no longer holds the version-stage the spec declares")

// CheckSecrets compares the sealed entry of every declared Secrets Manager
// secret that file holds with the version that holds its stage now, with one
// DescribeSecret each and no KMS call. Results come in name order.
func CheckSecrets(ctx context.Context, sm Describer, file baked.File, declared []DeclaredSecret) ([]Result, error) {
	var results []Result
	for _, d := range declared {
		e, ok := file[d.Name]
		if !ok || !e.SecretsManager() {
			continue
		}
		r := Result{Name: d.Name, Parameter: d.SecretID, BakedID: e.VersionID, BakedSet: e.Modified, Stage: d.Stage, pinned: d.Pinned}
		// By the spec's id, never the file's ARN, whose secret may be
		// another account's or region's: compareSecret refuses its ARN.
		out, err := sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(d.SecretID)})
		var notFound *smtypes.ResourceNotFoundException
		switch {
		case errors.As(err, &notFound):
			r.Problem = ErrSecretGone
		case err != nil:
			return nil, fmt.Errorf("failed to describe secret %q: %w", d.Name, err)
		default:
			compareSecret(&r, e, out, d.Pinned && d.StageDeclared)
		}
		results = append(results, r)
	}
	slices.SortFunc(results, func(a, b Result) int { return strings.Compare(a.Name, b.Name) })
	return results, nil
}

// compareSecret fills r in from Secrets Manager's description of the secret
// whose entry e was baked; holdStage requires the baked version to hold the
// stage.
func compareSecret(r *Result, e baked.Entry, out *secretsmanager.DescribeSecretOutput, holdStage bool) {
	r.CurrentARN = aws.ToString(out.ARN)
	r.LastRotated, r.NextRotation = aws.ToTime(out.LastRotatedDate), aws.ToTime(out.NextRotationDate)
	for id, stages := range out.VersionIdsToStages {
		if slices.Contains(stages, r.Stage) {
			r.CurrentID = id
		}
	}
	switch {
	case r.CurrentARN != e.ARN:
		r.Problem = ErrOtherARN
	case out.DeletedDate != nil || r.CurrentID == "":
		r.Problem = ErrSecretGone
	case holdStage && r.CurrentID != e.VersionID:
		r.Problem = ErrStageLeft
	default:
		r.Stale = !r.pinned && r.CurrentID != e.VersionID
	}
}

// shortID shortens a version id for display.
func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

// Versions shows the baked and current versions: numbers for SSM, the
// first 8 characters of the version ids for Secrets Manager.
func (r Result) Versions() (baked, current string) {
	if r.BakedID != "" {
		return shortID(r.BakedID), shortID(r.CurrentID)
	}
	baked, current = "?", fmt.Sprint(r.Current)
	if r.Baked != 0 {
		baked = fmt.Sprint(r.Baked)
	}
	return baked, current
}

// Rotation says when Secrets Manager last rotated the secret and will next,
// "" for an SSM parameter or a secret without rotation.
func (r Result) Rotation() string {
	var parts []string
	if !r.LastRotated.IsZero() {
		parts = append(parts, "last rotated "+r.LastRotated.UTC().Format(time.DateOnly))
	}
	if !r.NextRotation.IsZero() {
		parts = append(parts, "next rotation "+r.NextRotation.UTC().Format(time.DateOnly))
	}
	return strings.Join(parts, ", ")
}
