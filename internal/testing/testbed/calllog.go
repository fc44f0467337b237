package testbed

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// callLog records the requests a test server receives: the operation and
// signing access key of each, and when the first arrived. Proxy and Latency
// embed it, so that both count calls the same way.
type callLog struct {
	mu      sync.Mutex
	calls   map[string][]string // operation -> access key id of each call ("" when unsigned)
	retries map[string]int      // operation -> requests an SDK sent as a retry
	first   time.Time
}

// record notes r, which arrived at the given time, and returns its operation.
func (l *callLog) record(r *http.Request, arrived time.Time) (string, error) {
	op, err := operation(r)
	if err != nil {
		return "", err
	}
	accessKey, _ := credential(r.Header.Get("Authorization"))
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls == nil {
		l.calls = map[string][]string{}
	}
	if l.first.IsZero() {
		l.first = arrived
	}
	l.calls[op] = append(l.calls[op], accessKey)
	if retry(r.Header.Get("amz-sdk-request")) {
		if l.retries == nil {
			l.retries = map[string]int{}
		}
		l.retries[op]++
	}
	return op, nil
}

// retry reports whether an amz-sdk-request header ("attempt=2; max=3"), which
// the AWS SDKs send, marks a retry.
func retry(header string) bool {
	for part := range strings.SplitSeq(header, ";") {
		if n, ok := strings.CutPrefix(strings.TrimSpace(part), "attempt="); ok {
			return n != "1"
		}
	}
	return false
}

// ChosenCalls is CallsTotal less the requests an SDK sent as a retry of
// one before (the attempt its amz-sdk-request header counts): the calls a
// program chose to make, for a test that counts them, since a retry of a
// request that failed under load is the SDK's, not the program's.
func (l *callLog) ChosenCalls() map[string]int {
	calls := l.CallsTotal()
	l.mu.Lock()
	defer l.mu.Unlock()
	for op, n := range l.retries {
		calls[op] -= n
	}
	return calls
}

// Calls returns how many requests for op ("ssm:GetParameters") were
// received, retries and faulted requests included.
func (l *callLog) Calls(op string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.calls[op])
}

// CallsTotal returns the number of requests received per operation.
func (l *callLog) CallsTotal() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	total := make(map[string]int, len(l.calls))
	for op, keys := range l.calls {
		total[op] = len(keys)
	}
	return total
}

// AccessKeys returns, in arrival order, the access key id that signed each
// request for op, "" for an unsigned one (such as
// sts:AssumeRoleWithWebIdentity).
func (l *callLog) AccessKeys(op string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.calls[op])
}

// FirstRequest returns when the first request arrived, the zero time when
// none has.
func (l *callLog) FirstRequest() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first
}
