package accounts

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list string
		want string // the IDs, as String returns them
	}{
		{"", ""},
		{"  ", ""},
		{"123456789012", "123456789012"},
		{"123456789012,210987654321", "123456789012, 210987654321"},
		{" 123456789012 ,\t210987654321 ", "123456789012, 210987654321"},
		{"123456789012,\n210987654321\n", "123456789012, 210987654321"}, // a YAML block scalar
		{"000000000000", "000000000000"},
	}
	for _, tc := range tests {
		got, err := Parse(tc.list)
		if err != nil || got.String() != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.list, got, err, tc.want)
		}
	}
	if got, _ := Parse(""); got != (Allowed{}) {
		t.Errorf("Parse(\"\") = %q, want the zero Allowed", got)
	}
}

func TestParseRefusesMalformedLists(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, list, want string
	}{
		{"11 digits", "12345678901", `item 1 of 1, "12345678901", is not a 12-digit AWS account ID`},
		{"13 digits", "123456789012,1234567890123", `item 2 of 2, "1234567890123", is not a 12-digit AWS account ID`},
		{"letters", "12345678901a", `item 1 of 1, "12345678901a", is not`},
		{"non-ASCII digits", "１２３４５６７８９０１２", `is not a 12-digit AWS account ID`},
		{"empty item", "123456789012,,210987654321", "item 2 of 3 is empty"},
		{"trailing comma", "123456789012,", "item 2 of 2 is empty"},
		{"wildcard", "*", `item 1 of 1, "*", is not`},
		{"space-separated", "123456789012 210987654321", `item 1 of 1, "123456789012 210987654321", is not`},
		{"newline-separated", "123456789012\n210987654321", `item 1 of 1, "123456789012\n210987654321", is not`},
		{"control characters", "1234\x1b[31m56789012", `"1234\x1b[31m56789012"`},
		{"an ARN", "arn:aws:iam::123456789012:root", `"arn:aws:iam::123456789012:root"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.list)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tc.list, got.String())
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to contain %q", err, tc.want)
			}
			if strings.ContainsAny(err.Error(), "\n\x1b") {
				t.Errorf("error %q holds a control character", err)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	const (
		role    = "arn:aws:iam::123456789012:role/deploy"
		param   = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db"
		foreign = "arn:aws:ssm:us-east-1:999999999999:parameter/app/db"
		other   = "arn:aws:ssm:us-east-1:888888888888:parameter/app/db"
	)
	allowed, err := Parse("123456789012, 210987654321")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		allowed Allowed
		arns    []string
		want    string // "" for allowed
	}{
		{"no list allows any account", Allowed{}, []string{foreign, "not an ARN"}, ""},
		{"role in an allowed account", allowed, []string{role}, ""},
		{"parameters in an allowed account", allowed, []string{param, param}, ""},
		{"nothing to check", allowed, nil, ""},
		{"one refused account", allowed, []string{param, foreign},
			"AWS account not allowed: account 999999999999 of src is not in allowed-account-ids (123456789012, 210987654321)"},
		{"each refused account once, sorted", allowed, []string{foreign, other, foreign},
			"accounts 888888888888, 999999999999 of src are not in allowed-account-ids"},
		{"not an ARN", allowed, []string{"deploy\n"}, `cannot tell the account of ARN 1 of 1, which is no ARN with an account ID (src)`},
		{"an ARN without an account", allowed, []string{"arn:aws:s3:::bucket"}, `cannot tell the account of ARN 1 of 1, which is no ARN with an account ID (src)`},
		{"an account that is no account ID", allowed, []string{param, "arn:aws:ssm:us-east-1:12345678901\x1b:parameter/p"}, `cannot tell the account of ARN 2 of 2, which is no ARN with an account ID (src)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := tc.allowed.Check("src", tc.arns...)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Check = %v, want nil", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Check = %v, want an error with %q", err, tc.want)
			case tc.want != "" && !errors.Is(err, ErrNotAllowed):
				t.Errorf("Check = %v, want it to wrap ErrNotAllowed", err)
			}
		})
	}
}
