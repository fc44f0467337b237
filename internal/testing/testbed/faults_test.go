package testbed_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// noBackoff retries up to attempts times without waiting.
func noBackoff(attempts int) func() aws.Retryer {
	return func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		})
	}
}

// callers makes one call of each protocol the program uses through cfg.
var callers = map[string]func(ctx context.Context, cfg aws.Config) error{
	"ssm:GetParameters": func(ctx context.Context, cfg aws.Config) error {
		_, err := ssm.NewFromConfig(cfg).GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/missing"}})
		return err
	},
	"kms:DescribeKey": func(ctx context.Context, cfg aws.Config) error {
		_, err := kms.NewFromConfig(cfg).DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String("alias/aws/ssm")})
		return err
	},
	"sts:GetCallerIdentity": func(ctx context.Context, cfg aws.Config) error {
		_, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		return err
	},
}

// TestFailuresAsTheSDKSeesThem checks each failure's wire shape against the SDK's own
// classification: the error code it decodes, and whether its retryer retries it as a throttle,
// a retryable status or a connection error.
func TestFailuresAsTheSDKSeesThem(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	throttles := retry.IsErrorThrottles(retry.DefaultThrottles)
	retryables := retry.IsErrorRetryables(retry.DefaultRetryables)
	tests := []struct {
		failure      testbed.Failure
		wantCode     map[string]string // by operation; "" for no API error
		wantStatus   int
		wantThrottle bool
	}{
		{
			failure:      testbed.Throttling,
			wantCode:     map[string]string{"ssm:GetParameters": "ThrottlingException", "kms:DescribeKey": "ThrottlingException", "sts:GetCallerIdentity": "Throttling"},
			wantStatus:   http.StatusBadRequest,
			wantThrottle: true,
		},
		{
			failure:    testbed.InternalError,
			wantCode:   map[string]string{"ssm:GetParameters": "InternalFailure", "kms:DescribeKey": "InternalFailure", "sts:GetCallerIdentity": "InternalFailure"},
			wantStatus: http.StatusInternalServerError,
		},
		{
			failure:    testbed.Unavailable,
			wantCode:   map[string]string{"ssm:GetParameters": "ServiceUnavailable", "kms:DescribeKey": "ServiceUnavailable", "sts:GetCallerIdentity": "ServiceUnavailable"},
			wantStatus: http.StatusServiceUnavailable,
		},
		{failure: testbed.ConnectionReset, wantCode: map[string]string{}},
	}
	for _, tt := range tests {
		for op, call := range callers {
			t.Run(tt.failure.Name+"/"+op, func(t *testing.T) {
				t.Parallel()
				p := emu.Proxy(t)
				p.SetFault(testbed.NewChaos(1, 1).Fail(1, []string{op}, tt.failure))
				cfg := p.AWSConfig(region)
				cfg.Retryer = noBackoff(1)

				err := call(context.Background(), cfg)
				if err == nil {
					t.Fatal("call succeeded through a failure")
				}
				var apiErr smithy.APIError
				gotCode := ""
				if errors.As(err, &apiErr) {
					gotCode = apiErr.ErrorCode()
				}
				if want := tt.wantCode[op]; gotCode != want {
					t.Errorf("error code = %q, want %q (error: %v)", gotCode, want, err)
				}
				var status interface{ HTTPStatusCode() int }
				if tt.wantStatus != 0 && (!errors.As(err, &status) || status.HTTPStatusCode() != tt.wantStatus) {
					t.Errorf("error %v: want HTTP status %d", err, tt.wantStatus)
				}
				if got := throttles.IsErrorThrottle(err) == aws.TrueTernary; got != tt.wantThrottle {
					t.Errorf("SDK classifies %v as throttle = %v, want %v", err, got, tt.wantThrottle)
				}
				if got := retryables.IsErrorRetryable(err); got != aws.TrueTernary {
					t.Errorf("SDK classifies %v as retryable = %v, want true", err, got)
				}
			})
		}
	}
}

// TestChaosRecovers checks that a client retrying more often than maxPerCall gets through even
// when every request is chosen to fail, and that every injected fault is counted.
func TestChaosRecovers(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	const maxPerCall, calls = 3, 4
	chaos := testbed.NewChaos(7, maxPerCall)
	p.SetFault(chaos.Fail(1, []string{"kms:DescribeKey"}, testbed.Throttling, testbed.Unavailable, testbed.InternalError, testbed.ConnectionReset))
	cfg := p.AWSConfig(region)
	cfg.Retryer = noBackoff(maxPerCall + 1)

	for range calls {
		if err := callers["kms:DescribeKey"](context.Background(), cfg); err != nil {
			t.Fatalf("call failed although the retryer outlasts the faults: %v", err)
		}
	}
	if got, want := chaos.InjectedFor("kms:DescribeKey"), calls*maxPerCall; got != want {
		t.Errorf("InjectedFor = %d, want %d", got, want)
	}
	if got, want := p.Calls("kms:DescribeKey"), calls*(maxPerCall+1); got != want {
		t.Errorf("proxy saw %d requests, want %d", got, want)
	}
	total := 0
	for inj, n := range chaos.Injected() {
		if inj.Op != "kms:DescribeKey" {
			t.Errorf("fault injected into %s", inj.Op)
		}
		total += n
	}
	if total != calls*maxPerCall {
		t.Errorf("Injected sums to %d, want %d", total, calls*maxPerCall)
	}
}

// decisions returns, for n requests alternating between two operations, which ones chaos
// failed.
func decisions(chaos *testbed.Chaos, rate float64, n int) []bool {
	fault := chaos.Fail(rate, nil, testbed.Throttling, testbed.Unavailable)
	out := make([]bool, n)
	for i := range out {
		op := []string{"ssm:GetParameters", "kms:Decrypt"}[i%2]
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
		r.Header.Set("X-Amz-Target", "X."+op)
		out[i] = fault(op, httptest.NewRecorder(), r)
	}
	return out
}

func TestChaosIsDeterministic(t *testing.T) {
	t.Parallel()
	const n = 200
	a := decisions(testbed.NewChaos(42, n), 0.3, n)
	b := decisions(testbed.NewChaos(42, n), 0.3, n)
	c := decisions(testbed.NewChaos(43, n), 0.3, n)
	if !slices.Equal(a, b) {
		t.Error("the same seed gave different decisions")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave the same decisions")
	}
	failed := 0
	for _, f := range a {
		if f {
			failed++
		}
	}
	// 200 draws at 0.3: 60 expected, standard deviation 6.5; the seed is fixed.
	if failed < 30 || failed > 90 {
		t.Errorf("failed %d of %d requests at rate 0.3", failed, n)
	}
}

func TestChaosLeavesOtherOperations(t *testing.T) {
	t.Parallel()
	fault := testbed.NewChaos(1, 1).Fail(1, []string{"kms:Decrypt"}, testbed.Throttling)
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	if fault("ssm:GetParameters", httptest.NewRecorder(), r) {
		t.Error("fault answered an operation it was not given")
	}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	var order []string
	step := func(name string, handled bool) testbed.Fault {
		return func(string, http.ResponseWriter, *http.Request) bool {
			order = append(order, name)
			return handled
		}
	}
	tests := []struct {
		faults      []testbed.Fault
		wantHandled bool
		wantOrder   []string
	}{
		{nil, false, nil},
		{[]testbed.Fault{step("a", false), step("b", false)}, false, []string{"a", "b"}},
		{[]testbed.Fault{step("a", false), step("b", true), step("c", true)}, true, []string{"a", "b"}},
	}
	for _, tt := range tests {
		order = nil
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		if got := testbed.Compose(tt.faults...)("op", httptest.NewRecorder(), r); got != tt.wantHandled {
			t.Errorf("handled = %v, want %v", got, tt.wantHandled)
		}
		if !slices.Equal(order, tt.wantOrder) {
			t.Errorf("order = %v, want %v", order, tt.wantOrder)
		}
	}
}

// TestDelay checks that a delayed request still succeeds, and that other operations pass.
func TestDelay(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	p.SetFault(testbed.Delay(10*time.Millisecond, "kms:DescribeKey"))
	cfg := p.AWSConfig(region)
	for _, op := range []string{"kms:DescribeKey", "ssm:GetParameters"} {
		if err := callers[op](context.Background(), cfg); err != nil {
			t.Errorf("%s: %v", op, err)
		}
	}
}

// TestGate checks that a gate holds a request until the client gives up, then lets requests
// through once opened.
func TestGate(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	p := emu.Proxy(t)
	gate := testbed.NewGate("kms:DescribeKey")
	p.SetFault(gate.Hold)
	cfg := p.AWSConfig(region)
	cfg.Retryer = noBackoff(1)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- callers["kms:DescribeKey"](ctx, cfg) }()
	<-gate.Arrived()
	if err := callers["ssm:GetParameters"](context.Background(), cfg); err != nil {
		t.Errorf("an operation the gate does not hold: %v", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("held call ended with %v, want context.Canceled", err)
	}

	gate.Open()
	if err := callers["kms:DescribeKey"](context.Background(), cfg); err != nil {
		t.Errorf("call through the open gate: %v", err)
	}
	if got := p.Calls("kms:DescribeKey"); got != 2 {
		t.Errorf("proxy saw %d DescribeKey requests, want 2", got)
	}
}

func TestDeadEndpoint(t *testing.T) {
	t.Parallel()
	url, err := testbed.DeadEndpoint()
	if err != nil {
		t.Fatal(err)
	}
	cfg := aws.Config{
		Region:       region,
		BaseEndpoint: aws.String(url),
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		Retryer:      noBackoff(1),
	}
	err = callers["kms:DescribeKey"](context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("call to a dead endpoint: %v, want connection refused", err)
	}
}
