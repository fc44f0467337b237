package selector

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	const hint = "; want NAME, NAME:VERSION or NAME:LABEL using letters, digits and _.-/"
	tests := []struct {
		in      string
		want    Selector
		wantErr string // the text after "invalid parameter name or selector: ", without hint
	}{
		{in: "/prod/db/password", want: Selector{Name: "/prod/db/password"}},
		{in: "plain_name", want: Selector{Name: "plain_name"}},
		{in: "/prod/api/token:4", want: Selector{Name: "/prod/api/token", Version: 4}},
		{in: "/prod/api/token:live", want: Selector{Name: "/prod/api/token", Label: "live"}},
		{in: "/p:" + strings.Repeat("l", 100), want: Selector{Name: "/p", Label: strings.Repeat("l", 100)}},
		{in: "/p:" + strings.Repeat("l", 101), wantErr: "the version or label is 101 characters long, more than 100"},
		{in: "/" + strings.Repeat("n", 1010), want: Selector{Name: "/" + strings.Repeat("n", 1010)}},
		{in: "/" + strings.Repeat("n", 1011), wantErr: "the name is 1012 characters long, more than 1011"},
		{in: "", wantErr: "it is empty"},
		{in: ":live", wantErr: "the name before the ':' is empty"},
		{in: "/a b", wantErr: "character 3 is not allowed"},
		{in: "/é b", wantErr: "character 2 is not allowed"},
		{in: "/a:1:2", wantErr: "character 5 is a second ':'"},
		{in: "/a:l/x", wantErr: "character 5 is not allowed"},
		{in: "/a:", wantErr: "no version or label follows the ':'"},
		{in: "arn:aws:ssm:us-east-1:123456789012:parameter/x", wantErr: "character 8 is a second ':'"},
		{in: "-----BEGIN PRIVATE KEY-----\nMIIE", wantErr: "character 11 is not allowed"},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if tc.wantErr == "" {
			if err != nil || got != tc.want || !Valid(tc.in) {
				t.Errorf("Parse(%.40q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
			continue
		}
		want := "invalid parameter name or selector: " + tc.wantErr + hint
		if !errors.Is(err, ErrInvalid) || err.Error() != want || Valid(tc.in) {
			t.Errorf("Parse(%.40q) error = %v; want %s", tc.in, err, want)
		}
	}
}
