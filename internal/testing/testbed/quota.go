package testbed

import (
	"net/http"
	"sync"
	"time"
)

// Limit is one request rate quota of an AWS account and region: a token bucket that the listed
// operations share, refilled at Rate tokens a second up to Burst tokens, full at the start.
type Limit struct {
	Ops   []string
	Rate  float64
	Burst float64
}

// The quotas the test bed enforces by default. AWS documents the rates, not the bucket sizes,
// so the bursts are an assumption: half a second's worth of requests.
var (
	// SSMThroughput is Parameter Store's default throughput, 40 requests a second shared by
	// GetParameter, GetParameters and GetParametersByPath.
	SSMThroughput = Limit{Ops: []string{"ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"}, Rate: 40, Burst: 20}
	// KMSCryptography is the part of the KMS symmetric cryptographic operations quota left to a
	// CI job while the account's Lambda functions use the rest: a few hundred a second.
	KMSCryptography = Limit{Ops: []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncrypt"}, Rate: 400, Burst: 200}

	// Secrets Manager's request quotas, per account and region ("AWS Secrets Manager quotas" in
	// the user guide, and the announcement of 4 March 2025 that raised DescribeSecret): each
	// operation below has its own rate. The guide's older table gave DescribeSecret and
	// GetSecretValue one combined 10,000 a second; the test bed follows the 2025 figures.

	// SMGetSecretValue is GetSecretValue's 10,000 requests a second.
	SMGetSecretValue = Limit{Ops: []string{"secretsmanager:GetSecretValue"}, Rate: 10000, Burst: 5000}
	// SMDescribeSecret is DescribeSecret's 40,000 requests a second.
	SMDescribeSecret = Limit{Ops: []string{"secretsmanager:DescribeSecret"}, Rate: 40000, Burst: 20000}
	// SMBatchGetSecretValue is BatchGetSecretValue's 100 requests a second (of up to 20 secrets).
	SMBatchGetSecretValue = Limit{Ops: []string{"secretsmanager:BatchGetSecretValue"}, Rate: 100, Burst: 50}
	// SMWrites is the 50 requests a second that PutSecretValue, UpdateSecret,
	// UpdateSecretVersionStage and the replication operations share.
	SMWrites = Limit{Ops: []string{
		"secretsmanager:PutSecretValue", "secretsmanager:UpdateSecret", "secretsmanager:UpdateSecretVersionStage",
		"secretsmanager:RemoveRegionsFromReplication", "secretsmanager:ReplicateSecretToRegions",
		"secretsmanager:StopReplicationToReplica",
	}, Rate: 50, Burst: 25}
)

// SecretsManagerQuotas returns the Secrets Manager limits above, for NewQuota.
func SecretsManagerQuotas() []Limit {
	return []Limit{SMGetSecretValue, SMDescribeSecret, SMBatchGetSecretValue, SMWrites}
}

// Quota throttles requests as AWS enforces its request rate quotas: each Limit is one token
// bucket that every client of the server draws from, whatever its process or credentials. A
// request that finds its bucket empty uses no token and is answered, after a round trip's
// latency, with HTTP 400 ThrottlingException ("Rate exceeded"), as SSM and KMS answer. Install
// Fault on a Proxy or a Latency server; operations outside every Limit pass.
type Quota struct {
	latency time.Duration

	mu        sync.Mutex
	buckets   map[string]*bucket // by operation
	admitted  map[string]int
	throttled map[string]int
}

// bucket is a token bucket, guarded by Quota.mu.
type bucket struct {
	rate, burst, tokens float64
	at                  time.Time // when tokens was last brought up to date
}

// NewQuota returns a Quota enforcing limits whose throttling answers take latency.
func NewQuota(latency time.Duration, limits ...Limit) *Quota {
	q := &Quota{latency: latency, buckets: map[string]*bucket{}, admitted: map[string]int{}, throttled: map[string]int{}}
	start := time.Now()
	for _, l := range limits {
		b := &bucket{rate: l.Rate, burst: l.Burst, tokens: l.Burst, at: start}
		for _, op := range l.Ops {
			q.buckets[op] = b
		}
	}
	return q
}

// Fault takes a token for the request's operation, or answers ThrottlingException.
func (q *Quota) Fault(op string, w http.ResponseWriter, r *http.Request) bool {
	if q.admit(op) {
		return false
	}
	drainBody(r)
	t := time.NewTimer(q.latency)
	defer t.Stop()
	select {
	case <-t.C:
		Throttling.answer(w, r)
	case <-r.Context().Done():
	}
	return true
}

// admit reports whether op's bucket has a token, and takes it.
func (q *Quota) admit(op string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if b, limited := q.buckets[op]; limited && !b.take(time.Now()) {
		q.throttled[op]++
		return false
	}
	q.admitted[op]++
	return true
}

// take refills the bucket for the time up to now and takes a token if it has one.
func (b *bucket) take(now time.Time) bool {
	if now.After(b.at) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.at).Seconds()*b.rate)
		b.at = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// Throttled returns how many requests for op were throttled.
func (q *Quota) Throttled(op string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.throttled[op]
}

// Admitted returns how many requests for op were let through.
func (q *Quota) Admitted(op string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.admitted[op]
}
