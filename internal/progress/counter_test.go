package progress

import (
	"sync"
	"testing"
)

// TestCounterContract calls Done from many goroutines at once and checks that reports never
// overlap and that every count from 1 to the total arrives once, in order.
func TestCounterContract(t *testing.T) {
	t.Parallel()
	const total = 200
	var (
		inside int // reports running now; guarded by the contract alone
		got    []int
	)
	c := NewCounter(total, func(done, n int) {
		inside++
		if inside != 1 {
			t.Errorf("%d reports overlap", inside)
		}
		if n != total {
			t.Errorf("total = %d, want %d", n, total)
		}
		got = append(got, done)
		inside--
	})
	var wg sync.WaitGroup
	for range total {
		wg.Go(c.Done)
	}
	wg.Wait()
	if len(got) != total {
		t.Fatalf("%d reports, want %d", len(got), total)
	}
	for i, done := range got {
		if done != i+1 {
			t.Fatalf("report %d has count %d, want %d", i, done, i+1)
		}
	}
}

func TestCounterNilReport(t *testing.T) {
	t.Parallel()
	NewCounter(1, nil).Done()
}
