package spec

import (
	"strings"
	"testing"
)

func TestFunctionRoles(t *testing.T) {
	t.Parallel()
	const role = "arn:aws:iam::123456789012:role/api-fn"
	tests := []struct {
		name, file, spec string
		want             []FunctionRole
		wantErr          string
	}{
		{name: "spec list", file: "spec.yml", spec: "function-roles:\n  - " + role + "\n  - arn:aws-us-gov:iam::210987654321:role/path/to/w\nsecrets:\n  A: /a\n",
			want: []FunctionRole{{ARN: role, Location: Location{"spec.yml", 2, 5}}, {ARN: "arn:aws-us-gov:iam::210987654321:role/path/to/w", Location: Location{"spec.yml", 3, 5}}}},
		{name: "not a role ARN, unquoted", file: "spec.yml", spec: "function-roles: [\"hunter2 pw\"]\nsecrets:\n  A: /a\n", wantErr: "spec.yml:1:18: item 1 of function-roles is not an IAM role ARN"},
		{name: "not a list", file: "spec.yml", spec: "function-roles: " + role + "\nsecrets:\n  A: /a\n", wantErr: "function-roles must be a list"},
		{name: "empty list", file: "spec.yml", spec: "function-roles: []\nsecrets:\n  A: /a\n", wantErr: "function-roles is empty"},
		{name: "serverless literal and references", file: "serverless.yml", spec: "service: s\nprovider:\n  iam:\n    role: " + role + "\nfunctions:\n  api:\n    role: {\"Fn::GetAtt\": [R, Arn]}\n  worker:\n    role: WorkerRole\n  plain:\n    handler: h\ncustom:\n  secretBaker:\n    A: /a\n",
			want: []FunctionRole{
				{ARN: role, Location: Location{"serverless.yml", 4, 11}, Where: "provider.iam.role"},
				{Location: Location{"serverless.yml", 7, 11}, Where: "functions.api.role", Unchecked: notLiteral},
				{Location: Location{"serverless.yml", 9, 11}, Where: "functions.worker.role", Unchecked: notLiteral},
			}},
		{name: "serverless framework's role", file: "serverless.yml", spec: "service: s\nprovider:\n  name: aws\nfunctions:\n  api:\n    role: " + role + "\n  worker:\n    handler: h\ncustom:\n  secretBaker:\n    A: /a\n",
			want: []FunctionRole{
				{ARN: role, Location: Location{"serverless.yml", 6, 11}, Where: "functions.api.role"},
				{Location: Location{"serverless.yml", 7, 3}, Where: "functions.worker", Unchecked: frameworkRole},
			}},
		{name: "serverless provider.role covers functions", file: "serverless.yml", spec: "service: s\nprovider:\n  role: " + role + "\nfunctions:\n  worker:\n    handler: h\ncustom:\n  secretBaker:\n    A: /a\n",
			want: []FunctionRole{{ARN: role, Location: Location{"serverless.yml", 3, 9}, Where: "provider.role"}}},
		{name: "serverless functions not a mapping", file: "serverless.yml", spec: "service: s\nfunctions: [api]\ncustom:\n  secretBaker:\n    A: /a\n",
			want: []FunctionRole{{Location: Location{"serverless.yml", 2, 12}, Where: "functions", Unchecked: functionsNotMapping}}},
		{name: "serverless without functions", file: "serverless.yml", spec: "service: s\nfunctions:\ncustom:\n  secretBaker:\n    A: /a\n"},
		{name: "no roles", file: "spec.yml", spec: "secrets:\n  A: /a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sp, err := Parse(tt.file, []byte(tt.spec), Options{})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "hunter2") {
					t.Fatalf("Parse() = %v, want %q, unquoted", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sp.FunctionRoles) != len(tt.want) {
				t.Fatalf("FunctionRoles = %+v, want %+v", sp.FunctionRoles, tt.want)
			}
			for i := range tt.want {
				if sp.FunctionRoles[i] != tt.want[i] {
					t.Errorf("role %d = %+v, want %+v", i, sp.FunctionRoles[i], tt.want[i])
				}
			}
		})
	}
}

func TestRoleARNPattern(t *testing.T) {
	t.Parallel()
	name64 := strings.Repeat("n", 64)
	tests := []struct {
		arn  string
		want bool
	}{
		{"arn:aws:iam::123456789012:role/fn", true},
		{"arn:aws:iam::123456789012:role/service-role/fn", true},
		{"arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd", true},
		{"arn:aws-us-gov:iam::123456789012:role/fn", true},
		{"arn:aws-cn:iam::123456789012:role/" + name64, true},
		{"arn:aws:iam::123456789012:role/" + name64 + "n", false},
		{"arn:aws:iam::123456789012:role/fn/", false},
		{"arn:aws:iam::123456789012:role//fn", false},
		{"arn:aws:iam::123456789012:role/", false},
		{"arn:aws:iam::12345678901:role/fn", false},
		{"arn:aws:iam::123456789012:user/fn", false},
		{"arn:aws:iam::123456789012:role/f n", false},
	}
	for _, tt := range tests {
		if got := RoleARNPattern.MatchString(tt.arn); got != tt.want {
			t.Errorf("RoleARNPattern.MatchString(%q) = %v, want %v", tt.arn, got, tt.want)
		}
	}
}
