package pace

import (
	"testing"
	"time"
)

var t0 = time.Unix(1_700_000_000, 0)

func TestBucketStartsWithHalfASecondOfBurst(t *testing.T) {
	t.Parallel()
	b := newBucket(40)
	b.at = t0
	got := 0
	for b.take(t0) == 0 {
		got++
	}
	if got != 20 {
		t.Errorf("took %d tokens at once, want 20", got)
	}
	if d := b.take(t0); d != 25*time.Millisecond {
		t.Errorf("next token in %v, want 25ms (1/40 s)", d)
	}
	if d := b.take(t0.Add(25 * time.Millisecond)); d != 0 {
		t.Errorf("no token 25ms later (wait %v)", d)
	}
	if d := b.take(t0.Add(time.Hour)); d != 0 {
		t.Fatal("no token an hour later")
	}
	got = 1
	for b.take(t0.Add(time.Hour)) == 0 {
		got++
	}
	if got != 20 {
		t.Errorf("an idle bucket saved up %d tokens, want the burst, 20", got)
	}
}

func TestBucketCutsOncePerBurstAndRecovers(t *testing.T) {
	t.Parallel()
	b := newBucket(40)
	b.at = t0
	ms := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }
	steps := []struct {
		sent, now int // ms after t0
		wantRate  float64
	}{
		{sent: 0, now: 10, wantRate: 20},    // cut
		{sent: 5, now: 15, wantRate: 20.2},  // sent before the cut: no second cut; +40/s per s
		{sent: 20, now: 60, wantRate: 22},   // within decreaseEvery of the cut
		{sent: 100, now: 110, wantRate: 12}, // (20 + 4) / 2
		{sent: 200, now: 210, wantRate: 8},  // (12 + 4) / 2
		{sent: 300, now: 310, wantRate: 6},
		{sent: 400, now: 410, wantRate: 5},
		{sent: 500, now: 510, wantRate: 4.5},
	}
	for _, s := range steps {
		b.throttled(ms(s.sent), ms(s.now))
		if got := b.rate(ms(s.now)); got < s.wantRate-1e-9 || got > s.wantRate+1e-9 {
			t.Errorf("throttled (sent +%dms) at +%dms: rate %v, want %v", s.sent, s.now, got, s.wantRate)
		}
	}
	if b.tokens > 0 {
		t.Errorf("%v tokens left after throttling, want none", b.tokens)
	}
	if got := b.rate(ms(510 + 1000)); got != 40 {
		t.Errorf("rate a second later %v, want back at the ceiling, 40", got)
	}
	endless := newBucket(40)
	for n := range 50 {
		now := ms(n * 100)
		endless.throttled(now, now)
	}
	if got := endless.rate(ms(49 * 100)); got < 4 || got > 4.01 {
		t.Errorf("rate after a throttle every 100ms: %v, want a tenth of the ceiling, 4", got)
	}
}

// TestEveryAcceptedRateLetsARequestThrough checks, for every rate the ssm-rate input accepts
// (1 to 10000 a second) and for KMS's, that a bucket emptied at t0 lets a request through
// within 2/rate seconds, on a simulated clock: each wait take asks for is slept by moving the
// clock. A bucket that can never hold a whole token lets no request through at all.
func TestEveryAcceptedRateLetsARequestThrough(t *testing.T) {
	t.Parallel()
	rates := []float64{DefaultKMSRate}
	for r := 1; r <= 10000; r++ {
		rates = append(rates, float64(r))
	}
	for _, rate := range rates {
		for service, b := range New(Options{SSMRate: rate, KMSRate: rate}).buckets {
			b.tokens, b.at = 0, t0
			now, taken := t0, false
			for range 100 {
				d := b.take(now)
				if taken = d == 0; taken {
					break
				}
				now = now.Add(d)
			}
			got, within := now.Sub(t0), time.Duration(2/rate*float64(time.Second))
			if !taken || got > within {
				t.Fatalf("%s at %v/s: taken %v after %v, want a request through within %v", service, rate, taken, got, within)
			}
		}
	}
}
