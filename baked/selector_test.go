package baked

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSelector(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Selector
		wantErr bool
	}{
		{in: "/prod/db/password", want: Selector{Name: "/prod/db/password"}},
		{in: "plain_name", want: Selector{Name: "plain_name"}},
		{in: "/prod/api/token:4", want: Selector{Name: "/prod/api/token", Version: 4}},
		{in: "/prod/api/token:live", want: Selector{Name: "/prod/api/token", Label: "live"}},
		{in: "/p:" + strings.Repeat("l", 100), want: Selector{Name: "/p", Label: strings.Repeat("l", 100)}},
		{in: "/p:" + strings.Repeat("l", 101), wantErr: true},
		{in: "/" + strings.Repeat("n", 1010), want: Selector{Name: "/" + strings.Repeat("n", 1010)}},
		{in: "/" + strings.Repeat("n", 1011), wantErr: true},
		{in: "", wantErr: true},
		{in: "/a b", wantErr: true},
		{in: "/a:1:2", wantErr: true},
		{in: "/a:", wantErr: true},
		{in: "arn:aws:ssm:us-east-1:123456789012:parameter/x", wantErr: true},
		{in: "hunter2 correct horse", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSelector(tc.in)
			if tc.wantErr {
				if !errors.Is(err, ErrInvalidSelector) {
					t.Fatalf("ParseSelector(%q) error = %v, want ErrInvalidSelector", tc.in, err)
				}
				if tc.in != "" && strings.Contains(err.Error(), tc.in) {
					t.Errorf("ParseSelector(%q) error quotes it: %v", tc.in, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseSelector(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
		})
	}
}
