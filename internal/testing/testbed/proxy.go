package testbed

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"testing"
	"time"
)

// Proxy is an HTTP server on 127.0.0.1 in front of the emulator that records each request's
// operation and signing access key, then forwards it (unless a Fault answers it).
type Proxy struct {
	// URL is the proxy's base URL, http://127.0.0.1:<port>.
	URL string

	server    *http.Server
	transport *http.Transport
	forward   *httputil.ReverseProxy

	callLog
	faultSlot
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

// serve records r, gives the fault a chance to answer it, and forwards it otherwise.
func (p *Proxy) serve(w http.ResponseWriter, r *http.Request) {
	op, err := p.record(r, time.Now())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if p.intercept(op, w, r) {
		return
	}
	p.forward.ServeHTTP(w, r)
}
