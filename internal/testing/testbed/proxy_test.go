package testbed_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/org/secret-baker/internal/testing/testbed"
)

func TestProxyCountsOperationsAndSigners(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	name := testbed.UniquePrefix(t) + "/secret"
	if _, err := emu.Seeder(region).PutSecureString(ctx, name, "v", ""); err != nil {
		t.Fatal(err)
	}

	// Web identity first (unsigned), then SSM and KMS signed with the role's credentials.
	cfg := p.AWSConfig(region)
	role, err := sts.NewFromConfig(cfg).AssumeRoleWithWebIdentity(ctx, &sts.AssumeRoleWithWebIdentityInput{
		RoleArn:          aws.String("arn:aws:iam::123456789012:role/deployer"),
		RoleSessionName:  aws.String("test"),
		WebIdentityToken: aws.String("token"),
	})
	if err != nil {
		t.Fatal(err)
	}
	roleKey := aws.ToString(role.Credentials.AccessKeyId)
	roleCfg := cfg.Copy()
	roleCfg.Credentials = credentials.NewStaticCredentialsProvider(roleKey,
		aws.ToString(role.Credentials.SecretAccessKey), aws.ToString(role.Credentials.SessionToken))
	for range 2 {
		if _, err := ssm.NewFromConfig(roleCfg).GetParameters(ctx, &ssm.GetParametersInput{Names: []string{name}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := kms.NewFromConfig(cfg).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ssm")}); err != nil {
		t.Fatal(err)
	}

	wantTotal := map[string]int{"sts:AssumeRoleWithWebIdentity": 1, "ssm:GetParameters": 2, "kms:DescribeKey": 1}
	if got := p.CallsTotal(); !maps.Equal(got, wantTotal) {
		t.Errorf("CallsTotal() = %v, want %v", got, wantTotal)
	}
	tests := []struct {
		op        string
		wantCalls int
		wantKeys  []string
	}{
		{op: "sts:AssumeRoleWithWebIdentity", wantCalls: 1, wantKeys: []string{""}},
		{op: "ssm:GetParameters", wantCalls: 2, wantKeys: []string{roleKey, roleKey}},
		{op: "kms:DescribeKey", wantCalls: 1, wantKeys: []string{"testing"}},
		{op: "kms:Decrypt", wantCalls: 0, wantKeys: nil},
	}
	for _, tt := range tests {
		if got := p.Calls(tt.op); got != tt.wantCalls {
			t.Errorf("Calls(%s) = %d, want %d", tt.op, got, tt.wantCalls)
		}
		if got := p.AccessKeys(tt.op); !slices.Equal(got, tt.wantKeys) {
			t.Errorf("AccessKeys(%s) = %q, want %q", tt.op, got, tt.wantKeys)
		}
	}
	if roleKey == "testing" || roleKey == "" {
		t.Errorf("assumed role access key = %q, want one issued by STS", roleKey)
	}
}

func TestProxyFault(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	var faulted atomic.Bool
	p.SetFault(func(op string, w http.ResponseWriter, r *http.Request) bool {
		if op != "kms:DescribeKey" || faulted.Swap(true) {
			return false
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(`{"__type":"KMSInternalException","message":"injected"}`))
		return true
	})
	cfg := p.AWSConfig(region)
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}

	if _, err := kms.NewFromConfig(cfg).DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ssm")}); err != nil {
		t.Fatalf("DescribeKey after one injected 500: %v", err)
	}
	if got := p.Calls("kms:DescribeKey"); got != 2 {
		t.Errorf("Calls(kms:DescribeKey) = %d, want 2 (faulted attempt and retry)", got)
	}

	p.SetFault(nil)
	if _, err := kms.NewFromConfig(cfg).DescribeKey(context.Background(), &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ssm")}); err != nil {
		t.Fatal(err)
	}
	if got := p.Calls("kms:DescribeKey"); got != 3 {
		t.Errorf("Calls(kms:DescribeKey) after SetFault(nil) = %d, want 3", got)
	}
}

// TestProxyEnv checks that the SDK's default chain, fed only with Env, ends up at the proxy.
func TestProxyEnv(t *testing.T) {
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	t.Setenv("AWS_PROFILE", "developer-profile") // Env must win over what the developer has set
	t.Setenv("AWS_SESSION_TOKEN", "developer-token")
	for _, kv := range p.Env("us-east-2") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			t.Fatalf("Env entry %q is not KEY=value", kv)
		}
		t.Setenv(k, v)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "us-east-2" {
		t.Errorf("Region = %q, want us-east-2", cfg.Region)
	}
	_, err = ssm.NewFromConfig(cfg).GetParameters(context.Background(), &ssm.GetParametersInput{Names: []string{"/missing"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.AccessKeys("ssm:GetParameters"); !slices.Equal(got, []string{"testing"}) {
		t.Errorf("AccessKeys(ssm:GetParameters) = %q, want [testing]", got)
	}
}
