package ghcreds

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/org/secret-baker/internal/testing/testbed"
)

const assumeOp = "sts:AssumeRoleWithWebIdentity"

// stsFault answers one AssumeRoleWithWebIdentity request instead of the emulator.
type stsFault func(w http.ResponseWriter)

// stsError answers as STS does with an error: the query protocol's XML ErrorResponse.
func stsError(status int, code, message string) stsFault {
	typ := "Sender"
	if status >= http.StatusInternalServerError {
		typ = "Receiver"
	}
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", "req-"+code)
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>req-%s</RequestId></ErrorResponse>`,
			typ, code, html.EscapeString(message), code)
	}
}

// dropConnection closes the connection without answering.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

// stsTokens records the web identity token of each AssumeRoleWithWebIdentity request.
type stsTokens struct {
	mu     sync.Mutex
	tokens []string
}

func (s *stsTokens) get() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

// injectSTS makes p answer the first AssumeRoleWithWebIdentity requests with faults, in order,
// and forward the others to the emulator; it records the token of every request.
func injectSTS(t *testing.T, p *testbed.Proxy, faults ...stsFault) *stsTokens {
	return interceptSTS(t, p, func(n int, _ string) stsFault {
		if n < len(faults) {
			return faults[n]
		}
		return nil
	})
}

// interceptSTS makes p answer the n-th AssumeRoleWithWebIdentity request (from 0), which carries
// token, with answer(n, token), or forward it to the emulator when that is nil; it records the
// token of every request.
func interceptSTS(t *testing.T, p *testbed.Proxy, answer func(n int, token string) stsFault) *stsTokens {
	rec := &stsTokens{}
	p.SetFault(func(op string, w http.ResponseWriter, r *http.Request) bool {
		if op != assumeOp {
			return false
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("failed to read STS request: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, err := url.ParseQuery(string(body))
		if err != nil {
			t.Errorf("failed to parse STS request: %v", err)
		}
		token := form.Get("WebIdentityToken")
		rec.mu.Lock()
		n := len(rec.tokens)
		rec.tokens = append(rec.tokens, token)
		rec.mu.Unlock()
		if fault := answer(n, token); fault != nil {
			fault(w)
			return true
		}
		return false
	})
	return rec
}
