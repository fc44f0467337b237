package pace

import (
	"context"
	"sync"
	"time"
)

// AIMD steps of a bucket's rate. A throttled request cuts the rate by decrease, unless it was
// sent before the last cut (it did not see the lower rate yet) or the last cut is under
// decreaseEvery old: one burst's throttles count once. The rate climbs back linearly, by the
// ceiling every recovery, so that throttling without end holds it at a tenth of the ceiling:
// r = (r + ceiling × decreaseEvery/recovery) × decrease.
const (
	decrease      = 0.5
	decreaseEvery = 100 * time.Millisecond
	recovery      = time.Second
)

// bucket is a client-side token bucket whose rate adapts to throttling (AIMD). It holds up to
// its burst, and starts full at the ceiling.
type bucket struct {
	ceiling float64
	burst   float64 // the most tokens it holds

	mu      sync.Mutex
	tokens  float64
	at      time.Time // when tokens was last brought up to date
	cut     time.Time // when the rate was last cut; zero when never
	cutRate float64   // the rate right after that cut
}

func newBucket(ceiling float64) *bucket {
	// At least one whole token: below it, no request would ever be sent.
	burst := max(1, ceiling*BurstWindow.Seconds())
	return &bucket{ceiling: ceiling, burst: burst, tokens: burst, at: time.Now()}
}

// wait takes a token, waiting for one as long as ctx allows.
func (b *bucket) wait(ctx context.Context) error {
	for {
		d := b.take(time.Now())
		if d == 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		}
	}
}

// take takes a token at now and returns 0, or returns how long until there may be one.
func (b *bucket) take(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return max(time.Duration((1-b.tokens)/b.rate(now)*float64(time.Second)), time.Microsecond)
}

// throttled notes that a request sent at sent was throttled, at now: the tokens saved up go,
// and the rate is cut.
func (b *bucket) throttled(sent, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.refill(now)
	b.tokens = min(b.tokens, 0)
	if sent.After(b.cut) && now.Sub(b.cut) >= decreaseEvery {
		b.cutRate = b.rate(now) * decrease
		b.cut = now
	}
}

// rate is the rate at now, in requests a second; b.mu is held.
func (b *bucket) rate(now time.Time) float64 {
	if b.cut.IsZero() {
		return b.ceiling
	}
	return min(b.ceiling, b.cutRate+b.ceiling*now.Sub(b.cut).Seconds()/recovery.Seconds())
}

// refill adds the tokens earned since the last update at the current rate, up to the burst;
// b.mu is held.
func (b *bucket) refill(now time.Time) {
	if now.After(b.at) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.at).Seconds()*b.rate(now))
		b.at = now
	}
}
