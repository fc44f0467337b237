package testbed

import "testing"

func TestRetryHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		header string
		want   bool
	}{
		{"attempt=1; max=3", false},
		{"ttl=20261202T150000Z; attempt=2; max=3", true},
		{"attempt=3", true},
		{"", false},
		{"max=3", false},
	}
	for _, tt := range tests {
		if got := retry(tt.header); got != tt.want {
			t.Errorf("retry(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
