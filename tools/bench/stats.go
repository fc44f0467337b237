package main

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// summary is the median and range of a series of durations.
type summary struct {
	Median, Min, Max time.Duration
	Runs             int
}

func summarize(ds []time.Duration) summary {
	s := slices.Sorted(slices.Values(ds))
	return summary{Median: median(s), Min: s[0], Max: s[len(s)-1], Runs: len(s)}
}

// median returns the median of sorted values.
func median[T int64 | time.Duration](sorted []T) T {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// point is the measurement of one number of secrets against one back end.
type point struct {
	N       int
	Wall    time.Duration // median
	WallMin time.Duration
	WallMax time.Duration
	RSSMiB  float64       // median peak RSS
	ToFirst time.Duration // median process start to first AWS request; 0 when not recorded
	// Calls are the first run's API calls per operation; CallsSame tells whether every run
	// made the same.
	Calls     map[string]int
	CallsSame bool
	// Verified tells whether the runs verified (called kms:Decrypt) or only baked.
	Verified  bool
	WantCalls map[string]int
	Floor     time.Duration
	Ratio     float64 // Wall / Floor
	// Pacing is the part of Floor that the client's pacing adds to the concurrency's waves.
	Pacing time.Duration
}

// Overhead is the median wall time above the floor.
func (p point) Overhead() time.Duration { return p.Wall - p.Floor }

func newPoint(n int, samples []sample, o options) point {
	walls := make([]time.Duration, len(samples))
	rss := make([]int64, len(samples))
	var firsts []time.Duration
	p := point{N: n, Calls: samples[0].calls, CallsSame: true}
	for i, s := range samples {
		walls[i], rss[i] = s.wall, s.rssKiB
		if s.toFirst > 0 {
			firsts = append(firsts, s.toFirst)
		}
		p.CallsSame = p.CallsSame && maps.Equal(s.calls, p.Calls)
	}
	w := summarize(walls)
	p.Wall, p.WallMin, p.WallMax = w.Median, w.Min, w.Max
	slices.Sort(rss)
	p.RSSMiB = float64(median(rss)) / 1024
	if len(firsts) > 0 {
		p.ToFirst = summarize(firsts).Median
	}
	p.Verified = p.Calls["kms:Decrypt"] > 0
	p.WantCalls = wantCalls(n, p.Verified)
	p.Floor = floor(n, o.ssmConc, o.kmsConc, o.delay, p.Verified, true)
	p.Pacing = p.Floor - floor(n, o.ssmConc, o.kmsConc, o.delay, p.Verified, false)
	p.Ratio = float64(p.Wall) / float64(p.Floor)
	return p
}

// ms formats d in milliseconds with one decimal.
func ms(d time.Duration) string {
	return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
}
