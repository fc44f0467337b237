package pace_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/internal/pace"
	"github.com/org/secret-baker/internal/testing/testbed"
)

const region = "us-east-1"

// fast keeps the backoff of failures other than throttling short, so that tests of their
// attempt limit take milliseconds.
var fast = pace.Options{MaxBackoff: time.Millisecond}

// server starts a latency server without delay and returns an SSM client paced by opts.
func server(t *testing.T, opts pace.Options) (*testbed.Latency, *ssm.Client) {
	t.Helper()
	s, err := testbed.NewLatency(region, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, client(s.AWSConfig(), opts)
}

func client(cfg aws.Config, opts pace.Options) *ssm.Client {
	pace.New(opts).Configure(&cfg)
	return ssm.NewFromConfig(cfg)
}

func get(ctx context.Context, c *ssm.Client) error {
	_, err := c.GetParameters(ctx, &ssm.GetParametersInput{Names: []string{"/pace/a"}})
	return err
}

var gets = []string{"ssm:GetParameters"}

func TestRetries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		fault        func() testbed.Fault
		wantAttempts int
		wantErr      func(error) bool // nil: the call succeeds
	}{
		{
			name:         "throttled more often than the attempt limit",
			fault:        func() testbed.Fault { return testbed.NewChaos(1, 8).Fail(1, gets, testbed.Throttling) },
			wantAttempts: 9,
		},
		{
			name: "throttling does not count towards the attempt limit",
			fault: func() testbed.Fault {
				return testbed.Compose(testbed.NewChaos(1, 4).Fail(1, gets, testbed.Unavailable), testbed.NewChaos(2, 6).Fail(1, gets, testbed.Throttling))
			},
			wantAttempts: 11,
		},
		{
			name:         "503 on every attempt",
			fault:        func() testbed.Fault { return testbed.NewChaos(1, 1000).Fail(1, gets, testbed.Unavailable) },
			wantAttempts: pace.DefaultMaxAttempts,
			wantErr:      exhausted,
		},
		{
			name:         "connection reset on every attempt",
			fault:        func() testbed.Fault { return testbed.NewChaos(1, 1000).Fail(1, gets, testbed.ConnectionReset) },
			wantAttempts: pace.DefaultMaxAttempts,
			wantErr:      exhausted,
		},
		{
			name: "throttled, then 503 on every attempt",
			fault: func() testbed.Fault {
				return testbed.Compose(testbed.NewChaos(1, 3).Fail(1, gets, testbed.Throttling), testbed.NewChaos(2, 1000).Fail(1, gets, testbed.Unavailable))
			},
			wantAttempts: 3 + pace.DefaultMaxAttempts,
			wantErr:      exhausted,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, c := server(t, fast)
			s.SetFault(tt.fault())
			err := get(context.Background(), c)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Errorf("call failed: %v", err)
			case tt.wantErr != nil && !tt.wantErr(err):
				t.Errorf("call error %v, not the one wanted", err)
			}
			if got := s.Calls("ssm:GetParameters"); got != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", got, tt.wantAttempts)
			}
		})
	}
}

// exhausted tells whether err ended a call that used up its attempts.
func exhausted(err error) bool {
	var maxErr *retry.MaxAttemptsError
	return errors.As(err, &maxErr) && maxErr.Attempt == pace.DefaultMaxAttempts
}

func TestDeadEndpointFailsAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	dead, err := testbed.DeadEndpoint()
	if err != nil {
		t.Fatal(err)
	}
	s, err := testbed.NewLatency(region, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	cfg := s.AWSConfig()
	cfg.BaseEndpoint = aws.String(dead)
	if err := get(context.Background(), client(cfg, fast)); !exhausted(err) {
		t.Errorf("call to a dead endpoint: %v, want it to give up after %d attempts", err, pace.DefaultMaxAttempts)
	}
}

func TestThrottlingRetriedUntilTheDeadline(t *testing.T) {
	t.Parallel()
	always := func() testbed.Fault { return testbed.NewChaos(1, 1<<30).Fail(1, gets, testbed.Throttling) }
	t.Run("with a deadline", func(t *testing.T) {
		t.Parallel()
		// MaxThrottled only applies without a deadline: the deadline rules.
		s, c := server(t, pace.Options{MaxThrottled: time.Nanosecond})
		s.SetFault(always())
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		err := get(ctx, c)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("call error %v, want the deadline", err)
		}
		if n := s.Calls("ssm:GetParameters"); n < 2 {
			t.Errorf("%d attempts before the deadline, want retries", n)
		}
	})
	t.Run("without a deadline", func(t *testing.T) {
		t.Parallel()
		s, c := server(t, pace.Options{MaxThrottled: 50 * time.Millisecond})
		s.SetFault(always())
		var throttled *pace.ThrottledError
		if err := get(context.Background(), c); !errors.As(err, &throttled) {
			t.Errorf("call error %v, want a ThrottledError", err)
		}
	})
}

// TestPacedToTheQuota checks that one run stays under a quota it knows: its bucket starts at
// the quota's rate with as large a burst, so the quota throttles (next to) nothing.
func TestPacedToTheQuota(t *testing.T) {
	t.Parallel()
	s, c := server(t, pace.Options{})
	quota := testbed.NewQuota(0, testbed.SSMThroughput)
	s.SetFault(quota.Fault)
	const calls = 50 // 20 in the burst, then 1.5 s at 40 a second
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(4)
	for range calls {
		g.Go(func() error { return get(ctx, c) })
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if n := quota.Throttled("ssm:GetParameters"); n > 2 {
		t.Errorf("%d of %d requests throttled, want (next to) none", n, calls)
	}
}

// TestRunsSharingAQuota checks that runs with a pacer each, sharing one quota, all succeed.
func TestRunsSharingAQuota(t *testing.T) {
	t.Parallel()
	s, err := testbed.NewLatency(region, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	quota := testbed.NewQuota(5*time.Millisecond, testbed.SSMThroughput)
	s.SetFault(quota.Fault)
	const runs, calls = 6, 10
	var wg sync.WaitGroup
	errs := make([]error, runs)
	for i := range runs {
		c := client(s.AWSConfig(), pace.Options{})
		wg.Go(func() {
			g, ctx := errgroup.WithContext(context.Background())
			g.SetLimit(4)
			for range calls {
				g.Go(func() error { return get(ctx, c) })
			}
			errs[i] = g.Wait()
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if n := quota.Admitted("ssm:GetParameters"); n != runs*calls {
		t.Errorf("%d requests admitted, want %d", n, runs*calls)
	}
	t.Logf("%d requests throttled", quota.Throttled("ssm:GetParameters"))
}
