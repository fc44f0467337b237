package testbed_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestQuotaThrottlesAsAWSDoes checks that a Quota shares one bucket between every client of a
// server, in front of the latency server and of the emulator alike, and that what it answers
// when the bucket is empty is what the SDK takes for throttling.
func TestQuotaThrottlesAsAWSDoes(t *testing.T) {
	t.Parallel()
	type server interface {
		SetFault(testbed.Fault)
		Calls(op string) int
	}
	backends := map[string]func(t *testing.T) (server, aws.Config){
		"latency": func(t *testing.T) (server, aws.Config) {
			s, err := testbed.NewLatency(region, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			return s, s.AWSConfig()
		},
		"moto": func(t *testing.T) (server, aws.Config) {
			p := testbed.Shared(t).Proxy(t)
			return p, p.AWSConfig(region)
		},
	}
	throttles := retry.IsErrorThrottles(retry.DefaultThrottles)
	for name, start := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s, cfg := start(t)
			// Refilled so slowly that it never refills during the test.
			const burst = 3
			quota := testbed.NewQuota(0, testbed.Limit{Ops: testbed.SSMThroughput.Ops, Rate: 1e-6, Burst: burst})
			s.SetFault(quota.Fault)
			noRetry := func(o *ssm.Options) { o.RetryMaxAttempts = 1 }
			first, second := ssm.NewFromConfig(cfg, noRetry), ssm.NewFromConfig(cfg, noRetry)

			var ok, throttled int
			for i := range 2 * burst {
				client := first
				if i%2 == 1 {
					client = second
				}
				_, err := client.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/quota/missing"}})
				var apiErr smithy.APIError
				switch {
				case err == nil:
					ok++
				case errors.As(err, &apiErr) && apiErr.ErrorCode() == "ThrottlingException" && apiErr.ErrorMessage() == "Rate exceeded" &&
					throttles.IsErrorThrottle(err) == aws.TrueTernary:
					throttled++
				default:
					t.Errorf("GetParameters %d: %v, want success or ThrottlingException", i, err)
				}
			}
			if ok != burst || throttled != burst {
				t.Errorf("%d calls from two clients: %d passed, %d throttled; want %d and %d", 2*burst, ok, throttled, burst, burst)
			}
			if got := quota.Admitted("ssm:GetParameters"); got != burst {
				t.Errorf("Admitted = %d, want %d", got, burst)
			}
			if got := quota.Throttled("ssm:GetParameters"); got != burst {
				t.Errorf("Throttled = %d, want %d", got, burst)
			}
			if got := s.Calls("ssm:GetParameters"); got != 2*burst {
				t.Errorf("server saw %d calls, want %d: a throttled call is still a call", got, 2*burst)
			}

			// An operation outside every limit passes.
			_, err := kms.NewFromConfig(cfg).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ssm")})
			if err != nil {
				t.Errorf("DescribeKey outside the quota: %v", err)
			}
		})
	}
}
