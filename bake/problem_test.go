package bake

import (
	"errors"
	"testing"
)

// TestProblemQuotesOnlyValidSelectors checks that a problem quotes the declared parameter only
// when it is a valid selector: anything else may be a value pasted where a name belongs.
func TestProblemQuotesOnlyValidSelectors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		parameter string
		err       error
		want      string
	}{
		{"/prod/db", ErrNotFound, `secret "DB" (parameter "/prod/db"): parameter or version not found`},
		{"/prod/db:live", ErrNotFound, `secret "DB" (parameter "/prod/db:live"): parameter or version not found`},
		{"hunter2 marker-7f3a", errors.New("invalid"), `secret "DB": invalid`},
		{"-----BEGIN PRIVATE KEY-----\nMIIEmarker", errors.New("invalid"), `secret "DB": invalid`},
		{"/a:b:marker", errors.New("invalid"), `secret "DB": invalid`},
		{"", errors.New("invalid"), `secret "DB": invalid`},
	}
	for _, tc := range tests {
		p := &Problem{Name: "DB", Parameter: tc.parameter, Err: tc.err}
		if got := p.Error(); got != tc.want {
			t.Errorf("Problem{Parameter: %q}.Error() = %q, want %q", tc.parameter, got, tc.want)
		}
	}
}
