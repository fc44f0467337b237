package main

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/org/secret-baker/internal/testing/testbed"
)

//go:embed quota.md.tmpl
var quotaTemplate string

// Goals of the quota scenarios, from the performance issue.
const (
	maxBakeRatio   = 1.5 // bake under quota over the same bake unthrottled
	maxVerifyRatio = 1.3 // bake + verify under quota over the same unthrottled
	maxSharedRatio = 1.5 // slowest of the shared runs over one unthrottled run of all their work
	minPeerSpeedup = 10  // serverless-secret-baker's bake time over ours, same quota
)

// quotaReport is what the quota scenarios showed.
type quotaReport struct {
	Delay            time.Duration
	SSM, KMS         testbed.Limit
	SSMConc, KMSConc int

	Bake, BakeUnthrottled     scenario
	Verify, VerifyUnthrottled scenario
	Shared, SharedBaseline    scenario // sharedRuns runs at once; one unthrottled run of all their secrets
	Crowd, CrowdBaseline      scenario // crowdRuns runs at once; likewise
	Large                     scenario // one run of all the crowd's secrets under quota (no goal)
	Peer                      peerResult
}

// measureQuota runs every quota scenario.
func (b *bench) measureQuota(ctx context.Context) (*quotaReport, error) {
	q := &quotaReport{Delay: b.opts.quotaDelay, SSM: testbed.SSMThroughput, KMS: testbed.KMSCryptography, SSMConc: b.opts.ssmConc, KMSConc: b.opts.kmsConc}
	steps := []struct {
		into               *scenario
		name               string
		runs, n            int
		verified, throttle bool
	}{
		{&q.BakeUnthrottled, "bake, unthrottled", 1, quotaSecrets, false, false},
		{&q.Bake, "bake, under quota", 1, quotaSecrets, false, true},
		{&q.VerifyUnthrottled, "bake + verify, unthrottled", 1, quotaSecrets, true, false},
		{&q.Verify, "bake + verify, under quota", 1, quotaSecrets, true, true},
		{&q.SharedBaseline, fmt.Sprintf("one run of %d, unthrottled", sharedRuns*sharedSecrets), 1, sharedRuns * sharedSecrets, true, false},
		{&q.Shared, fmt.Sprintf("%d runs at once sharing a quota", sharedRuns), sharedRuns, sharedSecrets, true, true},
		{&q.CrowdBaseline, fmt.Sprintf("one run of %d, unthrottled", crowdRuns*sharedSecrets), 1, crowdRuns * sharedSecrets, true, false},
		{&q.Large, fmt.Sprintf("one run of %d, under quota", crowdRuns*sharedSecrets), 1, crowdRuns * sharedSecrets, true, true},
		{&q.Crowd, fmt.Sprintf("%d runs at once sharing a quota", crowdRuns), crowdRuns, sharedSecrets, true, true},
	}
	for _, s := range steps {
		sc, err := b.shared(ctx, s.name, s.runs, s.n, s.verified, s.throttle)
		if err != nil {
			return nil, err
		}
		*s.into = sc
	}
	if b.opts.peerDir == "" {
		q.Peer.Skipped = "not asked for (-peer \"\")"
		return q, nil
	}
	var err error
	if q.Peer, err = b.peer(ctx, quotaSecrets); err != nil {
		return nil, err
	}
	if q.Peer.Skipped != "" {
		fmt.Printf("    serverless-secret-baker comparison skipped: %s\n", q.Peer.Skipped)
	}
	return q, nil
}

// ratio is the median slowest run of s over that of base.
func ratio(s, base scenario) float64 {
	return float64(s.Slowest.Median) / float64(base.Slowest.Median)
}

// quotaRow is one line of the report's quota table.
type quotaRow struct {
	Name    string
	S, Base scenario
	Ratio   float64
	Floor   time.Duration
}

// Rows are the throttled scenarios, each beside its unthrottled baseline.
func (q *quotaReport) Rows() []quotaRow {
	var rows []quotaRow
	for _, r := range []struct {
		name    string
		s, base scenario
	}{
		{"bake", q.Bake, q.BakeUnthrottled},
		{"bake + verify", q.Verify, q.VerifyUnthrottled},
		{"concurrent runs, bake + verify", q.Shared, q.SharedBaseline},
		{"concurrent runs, bake + verify", q.Crowd, q.CrowdBaseline},
		{"bake + verify (no goal)", q.Large, q.CrowdBaseline},
	} {
		rows = append(rows, quotaRow{Name: r.name, S: r.s, Base: r.base, Ratio: ratio(r.s, r.base), Floor: q.floor(r.s)})
	}
	return rows
}

// floor is the least wall time the quota allows s, whatever the client does, also given the
// client's own pacing and concurrency: the SSM phase lasts at least its waves, the time its
// client bucket takes, and the time the shared SSM bucket takes for every run's GetParameters;
// then the slowest run still makes its own Decrypt waves. With verification, the shared KMS
// bucket must also pass every run's Decrypts: after the SSM phase for one run, from the start
// for several (their phases overlap).
func (q *quotaReport) floor(s scenario) time.Duration {
	gets := ceilDiv(s.N, batchSize)
	ssmLimit, kmsLimit := rateLimit{q.SSM.Rate, q.SSM.Burst}, rateLimit{q.KMS.Rate, q.KMS.Burst}
	d := max(waves(gets, q.SSMConc, q.Delay), refill(gets, pacedSSM, q.Delay), refill(s.Runs*gets, ssmLimit, q.Delay))
	if !s.Verified {
		return d
	}
	own := max(waves(s.N, q.KMSConc, q.Delay), refill(s.N, pacedKMS, q.Delay))
	shared := refill(s.Runs*s.N, kmsLimit, q.Delay)
	if s.Runs == 1 {
		return d + max(own, shared)
	}
	return max(d+own, shared)
}

// targets are the quota goals and whether the measurements meet them.
func (q *quotaReport) targets() []target {
	ts := []target{
		q.ratioTarget(fmt.Sprintf("bake of %d secrets under quota", quotaSecrets), q.Bake, q.BakeUnthrottled, maxBakeRatio, "the same bake unthrottled"),
		q.ratioTarget(fmt.Sprintf("bake + verify of %d secrets under quota", quotaSecrets), q.Verify, q.VerifyUnthrottled, maxVerifyRatio, "the same run unthrottled"),
		q.ratioTarget(fmt.Sprintf("%d concurrent runs of %d sharing a quota: all succeed, slowest", sharedRuns, sharedSecrets), q.Shared, q.SharedBaseline, maxSharedRatio,
			fmt.Sprintf("one unthrottled run of all %d", sharedRuns*sharedSecrets)),
		{
			Name:     fmt.Sprintf("%d concurrent runs of %d sharing a quota: all succeed", crowdRuns, sharedSecrets),
			Limit:    fmt.Sprintf("%d of %d runs succeed, every repetition", crowdRuns, crowdRuns),
			Measured: fmt.Sprintf("%d of %d failed; slowest %s", q.Crowd.Failed, crowdRuns*q.Crowd.Slowest.Runs, ms(q.Crowd.Slowest.Median)),
			Result:   passIf(q.Crowd.OK()),
		},
	}
	peer := target{
		Name:  fmt.Sprintf("bake of %d secrets vs serverless-secret-baker 2.1.0, same quota", quotaSecrets),
		Limit: fmt.Sprintf("≥ %d × faster", minPeerSpeedup),
	}
	switch p := q.Peer; {
	case p.Skipped != "":
		peer.Measured, peer.Result = "not measured: "+p.Skipped, resultNA
	case p.Failed > 0:
		peer.Measured, peer.Result = fmt.Sprintf("serverless-secret-baker failed %d of %d runs: %s", p.Failed, p.Wall.Runs, p.Failure), resultNA
	default:
		speedup := float64(p.Wall.Median) / float64(q.Bake.Slowest.Median)
		peer.Measured = fmt.Sprintf("%s vs %s = %.1f × faster", ms(q.Bake.Slowest.Median), ms(p.Wall.Median), speedup)
		peer.Result = passIf(q.Bake.OK() && speedup >= minPeerSpeedup)
	}
	return append(ts, peer)
}

// ratioTarget is the goal that every run of s succeeds within limit × base.
func (q *quotaReport) ratioTarget(name string, s, base scenario, limit float64, baseName string) target {
	r := ratio(s, base)
	t := target{
		Name:     name,
		Limit:    fmt.Sprintf("≤ %.1f × %s (%s)", limit, baseName, ms(base.Slowest.Median)),
		Measured: fmt.Sprintf("%s = %.2f ×", ms(s.Slowest.Median), r),
		Result:   passIf(s.OK() && r <= limit),
	}
	if !s.OK() {
		t.Measured = fmt.Sprintf("%d run(s) failed: %s", s.Failed, s.Failure)
	}
	return t
}
