package drift

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/org/secret-baker/baked"
)

// fakeDescriber answers DescribeSecret from a map of secret id to description.
type fakeDescriber map[string]*secretsmanager.DescribeSecretOutput

func (f fakeDescriber) DescribeSecret(_ context.Context, in *secretsmanager.DescribeSecretInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.DescribeSecretOutput, error) {
	if out, ok := f[aws.ToString(in.SecretId)]; ok {
		return out, nil
	}
	return nil, &smtypes.ResourceNotFoundException{Message: aws.String("not found")}
}

func TestCheckSecrets(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf"
	const v1, v2 = "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222"
	sealed := func(arn, version string) baked.Entry {
		return baked.Entry{ARN: arn, Ciphertext: "AQ", SecretID: "db", VersionID: version, Context: baked.SealedContext(arn, version, "")}
	}
	rotated := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	db := &secretsmanager.DescribeSecretOutput{ARN: aws.String(arn), VersionIdsToStages: map[string][]string{v1: {"AWSPREVIOUS", "blue"}, v2: {"AWSCURRENT"}}, LastRotatedDate: &rotated}
	sm := fakeDescriber{
		"db":   db,
		arn:    db,
		"gone": {ARN: aws.String("arn:aws:secretsmanager:us-east-1:1:secret:gone-AbCdEf"), DeletedDate: &rotated, VersionIdsToStages: map[string][]string{v1: {"AWSCURRENT"}}},
	}
	file := baked.File{
		"STALE":        sealed(arn, v1),
		"STAGED":       sealed(arn, v1),
		"PINNED":       sealed(arn, v1),
		"PINNED_STAGE": sealed(arn, v1),
		"OTHER":        sealed("arn:aws:secretsmanager:us-east-1:999999999999:secret:db-AbCdEf", v2),
		"GONE":         sealed("arn:aws:secretsmanager:us-east-1:1:secret:gone-AbCdEf", v1),
		"MISSING":      sealed("arn:aws:secretsmanager:us-east-1:1:secret:nothing-AbCdEf", v1),
		"UNDECLARED":   sealed(arn, v1),
	}
	declared := []DeclaredSecret{
		{Name: "STALE", SecretID: "db", Stage: "AWSCURRENT"},
		{Name: "STAGED", SecretID: "db", Stage: "blue"},
		{Name: "PINNED", SecretID: "db", Stage: "AWSCURRENT", Pinned: true},
		{Name: "PINNED_STAGE", SecretID: arn, Stage: "AWSCURRENT", Pinned: true, StageDeclared: true},
		{Name: "OTHER", SecretID: "db", Stage: "AWSCURRENT"},
		{Name: "GONE", SecretID: "gone", Stage: "AWSCURRENT"},
		{Name: "MISSING", SecretID: "nothing", Stage: "AWSCURRENT"},
	}
	got, err := CheckSecrets(context.Background(), sm, file, declared)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Result{}
	for _, r := range got {
		by[r.Name] = r
	}
	switch {
	case len(got) != 7:
		t.Errorf("%d results, want 7 (the undeclared entry is not checked)", len(got))
	case !errors.Is(by["OTHER"].Problem, ErrOtherARN):
		t.Errorf("OTHER, another account's secret of the declared name: %v, want ErrOtherARN", by["OTHER"].Problem)
	case !errors.Is(by["PINNED_STAGE"].Problem, ErrStageLeft):
		t.Errorf("PINNED_STAGE, pinned to a version the declared stage left: %v, want ErrStageLeft", by["PINNED_STAGE"].Problem)
	case !by["STALE"].Stale || by["STALE"].CurrentID != v2 || by["STALE"].Rotation() != "last rotated 2026-11-30":
		t.Errorf("STALE = %+v", by["STALE"])
	case by["STAGED"].Stale || by["PINNED"].Stale:
		t.Errorf("STAGED or PINNED stale: %+v %+v", by["STAGED"], by["PINNED"])
	case !errors.Is(by["GONE"].Problem, ErrSecretGone) || !errors.Is(by["MISSING"].Problem, ErrSecretGone):
		t.Errorf("GONE %v, MISSING %v: want ErrSecretGone", by["GONE"].Problem, by["MISSING"].Problem)
	}
	if b, c := by["STALE"].Versions(); b != "11111111" || c != "22222222" {
		t.Errorf("Versions() = %s, %s", b, c)
	}
}
