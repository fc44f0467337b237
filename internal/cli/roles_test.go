package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/smithy-go"

	"github.com/org/secret-baker/roles"
	"github.com/org/secret-baker/spec"
)

// TestNotAssumableNamesTheRunsRole: the trust statement to add names the
// role-to-assume, else the role STS says the run is, as an IAM role ARN, and
// says what the trust grants; a role known only from its session ARN comes
// with the note that its path is unknown.
func TestNotAssumableNamesTheRunsRole(t *testing.T) {
	t.Parallel()
	const fn = "arn:aws:iam::123456789012:role/fn"
	refusal := func(msg string) roles.Result {
		return roles.Result{Role: fn, AssumeErr: &smithy.GenericAPIError{Code: "AccessDenied", Message: msg}}
	}
	const pathNote = "which omits the role's path"
	tests := []struct {
		name     string
		result   roles.Result
		runRole  string
		want     string
		wantNote string // "" when the message must not speak of the path
	}{
		{"role-to-assume", refusal("User: arn:aws:sts::123456789012:assumed-role/ci/run-7 is not authorized"), "arn:aws:iam::123456789012:role/path/ci",
			`"Principal": {"AWS": "arn:aws:iam::123456789012:role/path/ci"}`, ""},
		{"assumed role in STS's message", refusal("User: arn:aws:sts::123456789012:assumed-role/ci-deploy/run-7 is not authorized to perform: sts:AssumeRole on resource: " + fn), "",
			`"Principal": {"AWS": "arn:aws:iam::123456789012:role/ci-deploy"}`, "session ARN arn:aws:sts::123456789012:assumed-role/ci-deploy/run-7, " + pathNote},
		{"SSO role in STS's message", refusal("User: arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123abcd/me@example.com is not authorized to perform: sts:AssumeRole"), "",
			`"AWS": "arn:aws:iam::123456789012:role/AWSReservedSSO_Admin_0123abcd"`, pathNote + ": if the role has one (an SSO role's is aws-reserved/sso.amazonaws.com/...), use its full ARN (aws iam get-role --role-name AWSReservedSSO_Admin_0123abcd)"},
		{"user in STS's message", refusal("User: arn:aws:iam::123456789012:user/deployer is not authorized to perform: sts:AssumeRole"), "", `"AWS": "arn:aws:iam::123456789012:user/deployer"`, ""},
		{"unknown caller", refusal("Access denied"), "", `"AWS": "<the ARN of the role this job runs as>"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := notAssumable(tt.result, tt.runRole)
			if !strings.Contains(got, tt.want) || !strings.Contains(got, "STS answered AccessDenied to sts:AssumeRole on "+fn) ||
				!strings.Contains(got, "lets that principal assume the function role with all its permissions") {
				t.Errorf("notAssumable() = %s\nwant it to contain %s", got, tt.want)
			}
			if gotNote := strings.Contains(got, pathNote); gotNote != (tt.wantNote != "") || !strings.Contains(got, tt.wantNote) {
				t.Errorf("notAssumable() = %s\nwant the path note %q", got, tt.wantNote)
			}
		})
	}
}

// TestNotAssumableRegionDisabled: STS off in the region is not a trust
// policy to fix.
func TestNotAssumableRegionDisabled(t *testing.T) {
	t.Parallel()
	got := notAssumable(roles.Result{Role: "arn:aws:iam::123456789012:role/fn", AssumeErr: &smithy.GenericAPIError{Code: "RegionDisabledException", Message: "STS is not activated in this region"}}, "")
	if !strings.Contains(got, "STS is not activated in this region for the role's account") || strings.Contains(got, "trust policy") {
		t.Errorf("notAssumable() = %s, want the region to activate and no trust statement", got)
	}
}

// TestResolveRolesOnce: a role named twice is proved once, at the first
// place that names it.
func TestResolveRolesOnce(t *testing.T) {
	t.Parallel()
	const a, b = "arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b"
	at := func(line int) spec.Location { return spec.Location{File: "serverless.yml", Line: line, Column: 11} }
	tests := []struct {
		name  string
		input string
		roles []spec.FunctionRole
		want  []functionRole
	}{
		{name: "input", input: a + "," + b + "," + a, want: []functionRole{{arn: a}, {arn: b}}},
		{name: "spec", roles: []spec.FunctionRole{{ARN: a, Location: at(4)}, {ARN: b, Location: at(7)}, {ARN: a, Location: at(9)}},
			want: []functionRole{{arn: a, loc: at(4)}, {arn: b, loc: at(7)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _ := roleSettings{input: tt.input}.resolve(&spec.Spec{FunctionRoles: tt.roles})
			if !slices.Equal(got, tt.want) {
				t.Errorf("resolve() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
