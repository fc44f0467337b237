package roles

import (
	"context"
	"encoding/base64"
	"errors"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/baked"
)

// fakeSTS lets the caller assume the roles it trusts, handing out the role's
// ARN as the access key.
type fakeSTS struct {
	trusted map[string]bool
	mu      sync.Mutex
	calls   []string
}

func (f *fakeSTS) AssumeRole(_ context.Context, in *sts.AssumeRoleInput, _ ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, aws.ToString(in.RoleArn)+" "+aws.ToString(in.RoleSessionName)+" "+aws.ToString(in.Policy))
	f.mu.Unlock()
	if !f.trusted[aws.ToString(in.RoleArn)] {
		return nil, &smithy.GenericAPIError{Code: "AccessDenied", Message: "not authorized to perform: sts:AssumeRole"}
	}
	return &sts.AssumeRoleOutput{Credentials: &ststypes.Credentials{AccessKeyId: in.RoleArn, SecretAccessKey: aws.String("s"), SessionToken: aws.String("t")}}, nil
}

// fakeKMS answers DryRun Decrypts as the role behind its credentials: the
// role may decrypt the parameters its grants list.
type fakeKMS struct {
	role   string
	grants map[string][]string // role → parameter ARNs
	mu     *sync.Mutex
	calls  *int
}

func (f fakeKMS) Decrypt(_ context.Context, in *kms.DecryptInput, _ ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	f.mu.Lock()
	*f.calls++
	f.mu.Unlock()
	if !aws.ToBool(in.DryRun) {
		return &kms.DecryptOutput{Plaintext: []byte("value")}, nil
	}
	if slices.Contains(f.grants[f.role], in.EncryptionContext[baked.EncryptionContextKey]) {
		return nil, &smithy.GenericAPIError{Code: dryRunOK}
	}
	return nil, &smithy.GenericAPIError{Code: accessDenied, Message: "User: " + f.role + " is not authorized to perform: kms:Decrypt"}
}

func TestProve(t *testing.T) {
	t.Parallel()
	const good, partial, untrusted = "arn:aws:iam::1:role/good", "arn:aws:iam::1:role/partial", "arn:aws:iam::1:role/untrusted"
	ct := base64.StdEncoding.EncodeToString([]byte{1, 2, 3})
	secrets := []Secret{
		{Name: "A", Entry: baked.Entry{ARN: "arn:aws:ssm:us-east-1:1:parameter/a", Ciphertext: ct, KeyARN: "arn:aws:kms:us-east-1:1:key/k"}},
		{Name: "B", Entry: baked.Entry{ARN: "arn:aws:ssm:us-east-1:1:parameter/b", Ciphertext: ct}},
	}
	grants := map[string][]string{good: {secrets[0].Entry.ARN, secrets[1].Entry.ARN}, partial: {secrets[0].Entry.ARN}}
	stsFake := &fakeSTS{trusted: map[string]bool{good: true, partial: true}}
	var mu sync.Mutex
	decrypts := 0
	kmsFor := func(creds aws.CredentialsProvider) baked.KMSClient {
		c, err := creds.Retrieve(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return fakeKMS{role: c.AccessKeyID, grants: grants, mu: &mu, calls: &decrypts}
	}
	got, err := New(stsFake, kmsFor).Prove(context.Background(), []string{good, partial, untrusted}, secrets)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got[0].OK() || got[0].Checked != 2 {
		t.Fatalf("good: %+v", got)
	}
	if refused := slices.Sorted(maps.Keys(got[1].Refused)); got[1].OK() || !slices.Equal(refused, []string{"B"}) {
		t.Errorf("partial refused %v, want [B]", refused)
	}
	var refusal *Refusal
	if !errors.As(got[1].Refused["B"], &refusal) || refusal.Code != accessDenied {
		t.Errorf("partial's reason for B = %v, want KMS's AccessDeniedException", got[1].Refused["B"])
	}
	if got[2].AssumeErr == nil || got[2].Checked != 0 {
		t.Errorf("untrusted: %+v, want an AssumeRole refusal and nothing checked", got[2])
	}
	const session = " " + SessionName + " " + `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`
	wantAssumes := []string{good + session, partial + session, untrusted + session}
	if !slices.Equal(stsFake.calls, wantAssumes) {
		t.Errorf("AssumeRole calls = %q, want one per role, with a session policy that allows kms:Decrypt only", stsFake.calls)
	}
	if decrypts != 4 {
		t.Errorf("DryRun Decrypt calls = %d, want 4 (one per secret per assumed role)", decrypts)
	}
}

func TestProveFailsWhenKMSCannotAnswer(t *testing.T) {
	t.Parallel()
	down := errors.New("connection refused")
	kmsFor := func(aws.CredentialsProvider) baked.KMSClient { return failingKMS{down} }
	ct := base64.StdEncoding.EncodeToString([]byte{1})
	_, err := New(&fakeSTS{trusted: map[string]bool{"r": true}}, kmsFor).Prove(context.Background(), []string{"r"}, []Secret{{Name: "A", Entry: baked.Entry{ARN: "a", Ciphertext: ct}}})
	if !errors.Is(err, down) {
		t.Errorf("Prove() = %v, want it to wrap %v", err, down)
	}
}

func TestDryRunNeverKeepsAPlaintext(t *testing.T) {
	t.Parallel()
	ct := base64.StdEncoding.EncodeToString([]byte{1})
	out := &kms.DecryptOutput{Plaintext: []byte("leak")}
	reason, err := dryRun(context.Background(), answeringKMS{out}, baked.Entry{ARN: "a", Ciphertext: ct})
	if err == nil || reason != nil || string(out.Plaintext) == "leak" {
		t.Errorf("dryRun() = %v, %v, plaintext kept %v; want a failure and the plaintext cleared", reason, err, string(out.Plaintext) == "leak")
	}
}

type failingKMS struct{ err error }

func (f failingKMS) Decrypt(context.Context, *kms.DecryptInput, ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	return nil, f.err
}

type answeringKMS struct{ out *kms.DecryptOutput }

func (a answeringKMS) Decrypt(context.Context, *kms.DecryptInput, ...func(*kms.Options)) (*kms.DecryptOutput, error) {
	return a.out, nil
}
