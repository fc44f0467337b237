package testbed

import (
	"testing"
	"time"
)

func TestBucketRefillsAtItsRateUpToItsBurst(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	b := &bucket{rate: 40, burst: 20, tokens: 20, at: t0}
	steps := []struct {
		after time.Duration // since t0
		takes int
		want  int // tokens taken
	}{
		{after: 0, takes: 25, want: 20},                   // the burst, then empty
		{after: 10 * time.Millisecond, takes: 1, want: 0}, // 0.4 of a token
		{after: 25 * time.Millisecond, takes: 2, want: 1}, // one token a 25 ms
		{after: 275 * time.Millisecond, takes: 12, want: 10},
		{after: 10 * time.Second, takes: 30, want: 20}, // never more than the burst
		{after: 9 * time.Second, takes: 1, want: 0},    // a clock going back adds nothing
	}
	for _, s := range steps {
		got := 0
		for range s.takes {
			if b.take(t0.Add(s.after)) {
				got++
			}
		}
		if got != s.want {
			t.Errorf("at +%v: took %d of %d, want %d", s.after, got, s.takes, s.want)
		}
	}
}
