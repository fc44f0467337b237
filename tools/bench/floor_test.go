package main

import (
	"maps"
	"testing"
	"time"
)

func TestFloor(t *testing.T) {
	t.Parallel()
	const d = 20 * time.Millisecond
	tests := []struct {
		n, ssmConc, kmsConc int
		verified, paced     bool
		want                time.Duration
	}{
		{n: 1, ssmConc: 4, kmsConc: 16, verified: true, want: 2 * d},
		{n: 10, ssmConc: 4, kmsConc: 16, verified: true, want: 2 * d},
		{n: 100, ssmConc: 4, kmsConc: 16, verified: true, want: (3 + 7) * d},
		{n: 1000, ssmConc: 4, kmsConc: 16, verified: true, want: (25 + 63) * d},
		{n: 1000, ssmConc: 4, kmsConc: 16, verified: false, want: 25 * d},
		{n: 41, ssmConc: 1, kmsConc: 41, verified: true, want: (5 + 1) * d},
		// Paced: 20 GetParameters fit the burst of 20; 100 take (100 − 20) / 40 s, plus the
		// last round trip; 1000 Decrypts, 500 beyond the burst at 1,000 a second, take
		// 500 ms + d, less than their 63 waves.
		{n: 200, ssmConc: 4, kmsConc: 16, verified: true, paced: true, want: (5 + 13) * d},
		{n: 1000, ssmConc: 4, kmsConc: 16, verified: true, paced: true, want: 2*time.Second + d + 63*d},
		{n: 1000, ssmConc: 4, kmsConc: 64, verified: true, paced: true, want: 2*time.Second + d + 500*time.Millisecond + d},
	}
	for _, tt := range tests {
		if got := floor(tt.n, tt.ssmConc, tt.kmsConc, d, tt.verified, tt.paced); got != tt.want {
			t.Errorf("floor(%d, %d, %d, verified %v, paced %v) = %v, want %v", tt.n, tt.ssmConc, tt.kmsConc, tt.verified, tt.paced, got, tt.want)
		}
	}
}

func TestWantCalls(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n        int
		verified bool
		want     map[string]int
	}{
		{n: 1, verified: true, want: map[string]int{"ssm:GetParameters": 1, "kms:Decrypt": 1}},
		{n: 10, verified: true, want: map[string]int{"ssm:GetParameters": 1, "kms:Decrypt": 10}},
		{n: 11, verified: true, want: map[string]int{"ssm:GetParameters": 2, "kms:Decrypt": 11}},
		{n: 200, verified: true, want: map[string]int{"ssm:GetParameters": 20, "kms:Decrypt": 200}},
		{n: 1000, verified: false, want: map[string]int{"ssm:GetParameters": 100}},
	}
	for _, tt := range tests {
		if got := wantCalls(tt.n, tt.verified); !maps.Equal(got, tt.want) {
			t.Errorf("wantCalls(%d, %v) = %v, want %v", tt.n, tt.verified, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []time.Duration
		want summary
	}{
		{in: []time.Duration{3, 1, 2}, want: summary{Median: 2, Min: 1, Max: 3, Runs: 3}},
		{in: []time.Duration{4, 1, 2, 8}, want: summary{Median: 3, Min: 1, Max: 8, Runs: 4}},
	}
	for _, tt := range tests {
		if got := summarize(tt.in); got != tt.want {
			t.Errorf("summarize(%v) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
