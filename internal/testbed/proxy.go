package testbed

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Fault may take over one request before it reaches the emulator. op is the request's operation
// ("kms:Decrypt"); a Fault returns true when it has answered the request itself (an error
// response, a connection hijacked and closed...) and false to let it through, possibly after a
// delay. It is called concurrently, outside the proxy's lock.
type Fault func(op string, w http.ResponseWriter, r *http.Request) (handled bool)

// Proxy is an HTTP server on 127.0.0.1 in front of the emulator that records each request's
// operation and signing access key, then forwards it (unless a Fault answers it).
type Proxy struct {
	// URL is the proxy's base URL, http://127.0.0.1:<port>.
	URL string

	server    *http.Server
	transport *http.Transport
	forward   *httputil.ReverseProxy

	callLog
	faultMu sync.Mutex
	fault   Fault
}

// Proxy starts a proxy in front of e that the end of the test closes.
func (e *Emulator) Proxy(t testing.TB) *Proxy {
	t.Helper()
	p, err := NewProxy(e.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// NewProxy starts a proxy in front of the server at target (a base URL); Close stops it.
func NewProxy(target string) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("failed to parse proxy target: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("failed to listen for proxy: %w", err)
	}
	p := &Proxy{
		URL:       "http://" + l.Addr().String(),
		transport: http.DefaultTransport.(*http.Transport).Clone(),
	}
	// The incoming Host header is kept: it is part of what the client signed.
	p.forward = httputil.NewSingleHostReverseProxy(u)
	p.forward.Transport = p.transport
	p.forward.ErrorLog = log.New(io.Discard, "", 0)
	p.server = &http.Server{Handler: http.HandlerFunc(p.serve), ErrorLog: log.New(io.Discard, "", 0)}
	go func() { _ = p.server.Serve(l) }() // returns when Close closes the listener
	return p, nil
}

// Close stops the proxy and drops its connections.
func (p *Proxy) Close() {
	_ = p.server.Close()
	p.transport.CloseIdleConnections()
}

// SetFault installs f for the requests that follow; nil removes it.
func (p *Proxy) SetFault(f Fault) {
	p.faultMu.Lock()
	defer p.faultMu.Unlock()
	p.fault = f
}

// serve records r, gives the fault a chance to answer it, and forwards it otherwise.
func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	op, err := p.record(r, time.Now())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.faultMu.Lock()
	fault := p.fault
	p.faultMu.Unlock()
	if fault != nil && fault(op, w, r) {
		return
	}
	p.forward.ServeHTTP(w, r)
}
