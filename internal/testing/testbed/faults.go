package testbed

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Failure is one way for AWS to fail a request, answered in the wire shape of the request's
// protocol: AWS JSON 1.1 (SSM, KMS: requests with X-Amz-Target) or the query protocol (STS).
type Failure struct {
	// Name names the failure in Injection, e.g. "throttling".
	Name   string
	answer func(w http.ResponseWriter, r *http.Request)
}

// The failures Chaos injects. Each is one the SDK's standard retryer retries: Throttling is in
// retry.DefaultThrottleErrorCodes (JSON "ThrottlingException", query "Throttling"), 500 and 503
// are in retry.DefaultRetryableHTTPStatusCodes, and a reset is a retry.RetryableConnectionError.
var (
	// Throttling answers HTTP 400 ThrottlingException ("Throttling" in the query protocol), as
	// SSM, KMS and STS do above their request rate quotas.
	Throttling = Failure{"throttling", func(w http.ResponseWriter, r *http.Request) {
		code := "ThrottlingException"
		if !isJSON(r) {
			code = "Throttling"
		}
		writeAWSError(w, r, http.StatusBadRequest, code, "Rate exceeded")
	}}
	// InternalError answers HTTP 500 InternalFailure, AWS's common error for a server fault.
	InternalError = Failure{"500", func(w http.ResponseWriter, r *http.Request) {
		writeAWSError(w, r, http.StatusInternalServerError, "InternalFailure", "The request processing has failed because of an unknown error, exception or failure.")
	}}
	// Unavailable answers HTTP 503 ServiceUnavailable, AWS's common error for an overloaded or
	// restarting endpoint.
	Unavailable = Failure{"503", func(w http.ResponseWriter, r *http.Request) {
		writeAWSError(w, r, http.StatusServiceUnavailable, "ServiceUnavailable", "The request has failed due to a temporary failure of the server.")
	}}
	// ConnectionReset drops the connection with a TCP RST before any answer, as a load balancer
	// or a NAT gateway that forgets a flow does.
	ConnectionReset = Failure{"reset", resetConnection}
)

var requestIDs atomic.Int64

// writeAWSError writes an AWS error response in the protocol of r.
func writeAWSError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	requestID := "fault-" + strconv.FormatInt(requestIDs.Add(1), 10)
	if isJSON(r) {
		// smithy's awsjson deserializer reads the code from X-Amzn-Errortype first, then __type.
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Errortype", code)
		w.Header().Set("X-Amzn-Requestid", requestID)
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"__type":%q,"message":%q}`, code, message)
		return
	}
	errType := "Receiver"
	if status < http.StatusInternalServerError {
		errType = "Sender"
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>%s</RequestId></ErrorResponse>`,
		errType, code, message, requestID)
}

// isJSON reports whether r uses an AWS JSON protocol rather than the query protocol.
func isJSON(r *http.Request) bool {
	return r.Header.Get("X-Amz-Target") != ""
}

// resetConnection takes the connection over from the server and closes it with SO_LINGER 0,
// which makes the kernel send a RST instead of a FIN.
func resetConnection(w http.ResponseWriter, _ *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		http.Error(w, "cannot reset: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

// Injection is one kind of fault a Chaos injected: an operation and a Failure's name.
type Injection struct {
	Op      string
	Failure string
}

// Chaos fails a fraction of requests, deciding from a seed: for each operation the sequence of
// decisions (fail or not, and with which Failure) is a fixed function of the seed, whatever the
// order in which concurrent requests of different operations arrive. It never fails one SDK call
// (one Amz-Sdk-Invocation-Id, shared by its retries) more than maxPerCall times, so that a client
// retrying more often than that always gets through. It counts every fault it injects.
type Chaos struct {
	seed       uint64
	maxPerCall int

	mu       sync.Mutex
	rules    int
	perCall  map[string]int
	injected map[Injection]int
}

// NewChaos returns a Chaos whose decisions derive from seed and that fails one SDK call at most
// maxPerCall times.
func NewChaos(seed uint64, maxPerCall int) *Chaos {
	return &Chaos{seed: seed, maxPerCall: maxPerCall, perCall: map[string]int{}, injected: map[Injection]int{}}
}

// Fail returns a Fault that answers about rate (0 to 1) of the requests for ops, every operation
// when ops is empty, with one of failures chosen at random.
func (c *Chaos) Fail(rate float64, ops []string, failures ...Failure) Fault {
	if len(failures) == 0 {
		panic("testbed: Chaos.Fail needs at least one Failure")
	}
	c.mu.Lock()
	c.rules++
	rule := uint64(c.rules)
	c.mu.Unlock()
	sequences := map[string]*rand.Rand{} // per operation, guarded by c.mu

	return func(op string, w http.ResponseWriter, r *http.Request) bool {
		if len(ops) > 0 && !slices.Contains(ops, op) {
			return false
		}
		call := r.Header.Get("Amz-Sdk-Invocation-Id")
		c.mu.Lock()
		rng, ok := sequences[op]
		if !ok {
			rng = rand.New(rand.NewPCG(c.seed, hashString(op)^rule))
			sequences[op] = rng
		}
		fail := rng.Float64() < rate
		failure := failures[rng.IntN(len(failures))]
		if fail && call != "" && c.perCall[call] >= c.maxPerCall {
			fail = false
		}
		if fail {
			c.perCall[call]++
			c.injected[Injection{Op: op, Failure: failure.Name}]++
		}
		c.mu.Unlock()
		if !fail {
			return false
		}
		drainBody(r)
		failure.answer(w, r)
		return true
	}
}

// Injected returns how many faults were injected, by operation and failure.
func (c *Chaos) Injected() map[Injection]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return maps.Clone(c.injected)
}

// InjectedFor returns how many faults were injected into requests for op.
func (c *Chaos) InjectedFor(op string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for k, v := range c.injected {
		if k.Op == op {
			n += v
		}
	}
	return n
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// drainBody reads r's body and puts it back. Once the body is read, the server watches the
// connection, so that r.Context() ends when the client goes away.
func drainBody(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
}

// Delay returns a Fault that holds each request for ops, every operation when ops is empty, for
// d before letting it through, or until its client goes away.
func Delay(d time.Duration, ops ...string) Fault {
	return func(op string, _ http.ResponseWriter, r *http.Request) bool {
		if len(ops) > 0 && !slices.Contains(ops, op) {
			return false
		}
		drainBody(r)
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return false
		case <-r.Context().Done():
			return true // nobody to answer
		}
	}
}

// Compose returns a Fault that offers each request to faults in order until one answers it, so
// that a Delay placed first slows down the requests that a later Fault then fails.
func Compose(faults ...Fault) Fault {
	return func(op string, w http.ResponseWriter, r *http.Request) bool {
		for _, f := range faults {
			if f(op, w, r) {
				return true
			}
		}
		return false
	}
}

// Gate holds the requests for some operations until it is opened or their client goes away,
// which lets a test act while calls are in flight.
type Gate struct {
	ops        []string
	arrived    chan struct{}
	arriveOnce sync.Once
	open       chan struct{}
	openOnce   sync.Once
	abandoned  atomic.Int64
}

// NewGate returns a closed Gate for ops, every operation when ops is empty.
func NewGate(ops ...string) *Gate {
	return &Gate{ops: ops, arrived: make(chan struct{}), open: make(chan struct{})}
}

// Hold is the Gate's Fault: install it with Proxy.SetFault.
func (g *Gate) Hold(op string, _ http.ResponseWriter, r *http.Request) bool {
	if len(g.ops) > 0 && !slices.Contains(g.ops, op) {
		return false
	}
	drainBody(r)
	g.arriveOnce.Do(func() { close(g.arrived) })
	select {
	case <-g.open:
		return false
	case <-r.Context().Done():
		g.abandoned.Add(1)
		return true
	}
}

// Arrived returns a channel closed when the first request is held.
func (g *Gate) Arrived() <-chan struct{} { return g.arrived }

// Open lets held and later requests through.
func (g *Gate) Open() { g.openOnce.Do(func() { close(g.open) }) }

// Abandoned returns how many held requests ended because their client went away.
func (g *Gate) Abandoned() int { return int(g.abandoned.Load()) }

// DeadEndpoint returns the base URL of a port on 127.0.0.1 where nothing listens: a free port,
// listened on and closed again, so that connecting to it is refused at once.
func DeadEndpoint() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("failed to find a free port: %w", err)
	}
	url := "http://" + l.Addr().String()
	if err := l.Close(); err != nil {
		return "", fmt.Errorf("failed to close port: %w", err)
	}
	return url, nil
}
