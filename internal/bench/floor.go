package main

import "time"

// batchSize is the most names one SSM GetParameters call takes.
const batchSize = 10

// wantCalls is the least set of API calls that bakes n secrets of one key and, when verified,
// verifies them: one GetParameters per 10 secrets, one Decrypt per secret and one DescribeKey for
// the key.
func wantCalls(n int, verified bool) map[string]int {
	want := map[string]int{"ssm:GetParameters": ceilDiv(n, batchSize)}
	if verified {
		want["kms:Decrypt"] = n
		want["kms:DescribeKey"] = 1
	}
	return want
}

// floor is the least wall time of a run on n secrets when every call takes delay and nothing
// else costs anything. Bake and verify are sequential phases, and within each phase calls go in
// waves of the phase's concurrency:
//
//	floor = ⌈⌈N/10⌉ / ssmConc⌉ × delay        GetParameters waves
//	      + ⌈N / kmsConc⌉ × delay              Decrypt waves (verify only)
//	      + delay                              one DescribeKey (verify only)
//
// The DescribeKey of the required key precedes the Decrypts; without a required key, the
// DescribeKey of the key the first Decrypt names holds up every secret's key check as long.
func floor(n, ssmConc, kmsConc int, delay time.Duration, verified bool) time.Duration {
	waves := ceilDiv(ceilDiv(n, batchSize), ssmConc)
	if verified {
		waves += ceilDiv(n, kmsConc) + 1
	}
	return time.Duration(waves) * delay
}

func ceilDiv(a, b int) int {
	return (a + b - 1) / b
}
