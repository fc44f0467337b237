package ghcreds

import (
	"context"
	"slices"
	"sync"
	"time"
)

// fakeClock is a retry policy's clock that only its sleeps move, so that no test waits.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// testPolicy is standardRetry on clock, with the longest jitter and budget (0: the standard one).
func testPolicy(clock *fakeClock, budget time.Duration) retryPolicy {
	p := standardRetry()
	p.now, p.sleep = clock.Now, clock.Sleep
	p.randN = func(n int64) int64 { return n - 1 }
	if budget != 0 {
		p.budget = budget
	}
	return p
}
