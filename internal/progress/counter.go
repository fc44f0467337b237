// Package progress is the progress contract that bake and verify share: a Counter hands each
// count of work done to a callback, one call at a time, with counts that only rise.
package progress

import "sync"

// Func is called with the units of work done and the total.
type Func func(done, total int)

// Counter counts the units of work done, from any goroutine, and reports each count.
type Counter struct {
	mu     sync.Mutex
	done   int
	total  int
	report Func
}

// NewCounter returns a Counter of total units reporting to report; a nil report is no report.
func NewCounter(total int, report Func) *Counter {
	if report == nil {
		report = func(int, int) {}
	}
	return &Counter{total: total, report: report}
}

// Done counts one more unit and reports the new count. Calls of report never overlap, and each
// gets a greater count than the one before.
func (c *Counter) Done() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done++
	c.report(c.done, c.total)
}
