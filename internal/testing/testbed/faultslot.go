package testbed

import (
	"net/http"
	"sync"
)

// Fault may take over one request before the server answers it. op is the request's operation
// ("kms:Decrypt"); a Fault returns true when it has answered the request itself (an error
// response, a connection hijacked and closed...) and false to let it through, possibly after a
// delay. It is called concurrently, outside the server's locks.
type Fault func(op string, w http.ResponseWriter, r *http.Request) (handled bool)

// faultSlot holds the Fault a test server offers each request to. Proxy and Latency embed it,
// so that faults are injected into both the same way.
type faultSlot struct {
	mu    sync.Mutex
	fault Fault
}

// SetFault installs f for the requests that follow; nil removes it.
func (s *faultSlot) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault = f
}

// intercept offers the request to the installed Fault and reports whether it answered it.
func (s *faultSlot) intercept(op string, w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	fault := s.fault
	s.mu.Unlock()
	return fault != nil && fault(op, w, r)
}
