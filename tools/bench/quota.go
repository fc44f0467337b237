package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// The quota scenarios: how many secrets a run bakes, and how many runs share a quota at once.
const (
	quotaSecrets  = 200
	sharedSecrets = 100
	sharedRuns    = 4
	crowdRuns     = 10
)

// quotaServer is a latency server, with a fresh Quota of the test bed's default limits in
// front of it unless unthrottled: every client of one quotaServer shares its buckets.
type quotaServer struct {
	*testbed.Latency
	quota *testbed.Quota // nil when unthrottled
}

func startQuotaServer(delay time.Duration, throttled bool) (*quotaServer, error) {
	lat, err := testbed.NewLatency(region, delay)
	if err != nil {
		return nil, err
	}
	s := &quotaServer{Latency: lat}
	if throttled {
		s.quota = testbed.NewQuota(delay, quotaLimits...)
		lat.SetFault(s.quota.Fault)
	}
	return s, nil
}

// quotaLimits are the limits every throttled scenario runs under.
var quotaLimits = []testbed.Limit{testbed.SSMThroughput, testbed.KMSCryptography}

func (s *quotaServer) endpoint() endpoint {
	return endpoint{env: s.Env(), calls: s.CallsTotal, first: s.FirstRequest, close: s.Close}
}

// throttled returns how many requests the quota throttled, 0 when unthrottled.
func (s *quotaServer) throttled() int {
	if s.quota == nil {
		return 0
	}
	n := 0
	for _, l := range quotaLimits {
		for _, op := range l.Ops {
			n += s.quota.Throttled(op)
		}
	}
	return n
}

// outcome is one repetition of a scenario: each run's wall time, the runs that failed and the
// requests the quota throttled.
type outcome struct {
	walls     []time.Duration
	failures  []string
	throttled int
	calls     map[string]int
}

// slowest is the wall time of the slowest run.
func (o outcome) slowest() time.Duration { return slices.Max(o.walls) }

// scenario is what several repetitions of one scenario showed.
type scenario struct {
	Name      string
	Runs      int // processes at once
	N         int // secrets per run
	Verified  bool
	Throttled bool
	Slowest   summary // over repetitions, of the slowest run of each
	Failed    int     // runs that failed, over all repetitions
	Failure   string  // the first failure
	Requests  int     // throttled requests, median over repetitions
	Calls     map[string]int
}

// OK tells whether every run of every repetition succeeded.
func (s scenario) OK() bool { return s.Failed == 0 }

// shared runs runs processes at once, each baking n secrets from its own workspace, against
// one quotaServer, opts.runs times, and summarizes the slowest run of each time. Failed runs
// are counted, not fatal: a failure under quota is a result.
func (b *bench) shared(ctx context.Context, name string, runs, n int, verified, throttled bool) (scenario, error) {
	dirs := make([]string, runs)
	for i := range dirs {
		dir, err := newWorkspace(n)
		if err != nil {
			return scenario{}, err
		}
		defer os.RemoveAll(dir)
		dirs[i] = dir
	}
	var args []string
	if !verified {
		args = append(args, "--verify=false")
	}
	sc := scenario{Name: name, Runs: runs, N: n, Verified: verified, Throttled: throttled}
	var slowest []time.Duration
	var throttledRequests []int
	for range b.opts.runs {
		s, err := startQuotaServer(b.opts.quotaDelay, throttled)
		if err != nil {
			return scenario{}, err
		}
		ep := s.endpoint()
		o := outcome{walls: make([]time.Duration, runs)}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i, dir := range dirs {
			wg.Go(func() {
				smp, err := b.runOn(ctx, ep, "quota", dir, n, args...)
				mu.Lock()
				defer mu.Unlock()
				o.walls[i] = smp.wall
				if err != nil {
					o.failures = append(o.failures, oneLine(fmt.Sprintf("after %s: %v", ms(smp.wall), err)))
				}
			})
		}
		wg.Wait()
		o.throttled, o.calls = s.throttled(), ep.calls()
		ep.close()
		if ctx.Err() != nil {
			return scenario{}, ctx.Err()
		}
		slowest = append(slowest, o.slowest())
		throttledRequests = append(throttledRequests, o.throttled)
		sc.Failed += len(o.failures)
		if sc.Failure == "" && len(o.failures) > 0 {
			sc.Failure = o.failures[0]
		}
		sc.Calls = o.calls
	}
	sc.Slowest = summarize(slowest)
	slices.Sort(throttledRequests)
	sc.Requests = throttledRequests[len(throttledRequests)/2]
	status := "ok"
	if !sc.OK() {
		status = fmt.Sprintf("%d run(s) FAILED: %s", sc.Failed, sc.Failure)
	}
	fmt.Printf("    %-44s slowest median %-9v throttled %4d  %s\n", name, ms(sc.Slowest.Median), sc.Requests, status)
	return sc, nil
}

// oneLine shortens a failure to one line: its first line and, when there are more (the tail of
// stderr), its last non-empty one, at most 300 bytes in all.
func oneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	line := lines[0]
	if last := strings.TrimSpace(lines[len(lines)-1]); len(lines) > 1 && last != "" {
		line += ": " + last
	}
	if len(line) > 300 {
		line = line[:300] + "…"
	}
	return line
}
