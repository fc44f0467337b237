package main

import (
	"time"

	"github.com/org/secret-baker/internal/pace"
)

// batchSize is the most names one SSM GetParameters call takes.
const batchSize = 10

// wantCalls is the least set of API calls that bakes n secrets and, when verified, verifies
// them: one GetParameters per 10 secrets and one Decrypt per secret, nothing else (Decrypt
// enforces the required key and names it).
func wantCalls(n int, verified bool) map[string]int {
	want := map[string]int{"ssm:GetParameters": ceilDiv(n, batchSize)}
	if verified {
		want["kms:Decrypt"] = n
	}
	return want
}

// rateLimit is a token bucket: rate requests a second, burst of them at once from the start.
type rateLimit struct{ rate, burst float64 }

// The buckets secret-baker paces itself with (internal/pace, default rates).
var (
	pacedSSM = rateLimit{pace.DefaultSSMRate, pace.DefaultSSMRate * pace.BurstWindow.Seconds()}
	pacedKMS = rateLimit{pace.DefaultKMSRate, pace.DefaultKMSRate * pace.BurstWindow.Seconds()}
)

// floor is the least wall time of a run on n secrets when every call takes delay and nothing
// else costs anything. Bake and verify are sequential phases; within each, calls go in waves
// of the phase's concurrency, and no faster than the client's pacing lets them:
//
//	floor = max(⌈⌈N/10⌉ / ssmConc⌉ × delay, paced(⌈N/10⌉, SSM))    GetParameters
//	      + max(⌈N / kmsConc⌉ × delay, paced(N, KMS))              Decrypt (verify only)
//
// where paced(c, S) = max(0, c − burst_S) / rate_S + delay, the time S's bucket takes to
// let c calls through and the last one's round trip. paced is false for the floor of the
// concurrency settings alone.
func floor(n, ssmConc, kmsConc int, delay time.Duration, verified, paced bool) time.Duration {
	gets := ceilDiv(n, batchSize)
	d := waves(gets, ssmConc, delay)
	if paced {
		d = max(d, refill(gets, pacedSSM, delay))
	}
	if verified {
		kms := waves(n, kmsConc, delay)
		if paced {
			kms = max(kms, refill(n, pacedKMS, delay))
		}
		d += kms
	}
	return d
}

// waves is the time of calls made conc at a time, each taking delay.
func waves(calls, conc int, delay time.Duration) time.Duration {
	return time.Duration(ceilDiv(calls, conc)) * delay
}

// refill is the least time for requests to pass l, full at the start, the last taking delay.
func refill(requests int, l rateLimit, delay time.Duration) time.Duration {
	return time.Duration(max(0, float64(requests)-l.burst)/l.rate*float64(time.Second)) + delay
}

func ceilDiv(a, b int) int {
	return (a + b - 1) / b
}
