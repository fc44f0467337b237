package ghcreds

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	valid := Options{
		RoleARN:     "arn:aws:iam::123456789012:role/path/to/deploy+=,.@_-",
		SessionName: "secret-baker",
		Duration:    time.Hour,
		Audience:    "sts.amazonaws.com",
		Token:       func(context.Context, string) (string, error) { return "", nil },
		Mask:        func(string) {},
	}
	with := func(change func(*Options)) Options {
		o := valid
		change(&o)
		return o
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{name: "valid", opts: valid},
		{name: "valid in China", opts: with(func(o *Options) { o.RoleARN = "arn:aws-cn:iam::123456789012:role/x" })},
		{name: "valid in GovCloud", opts: with(func(o *Options) { o.RoleARN = "arn:aws-us-gov:iam::123456789012:role/x" })},
		{name: "shortest duration", opts: with(func(o *Options) { o.Duration = 900 * time.Second })},
		{name: "longest duration", opts: with(func(o *Options) { o.Duration = 12 * time.Hour })},
		{name: "no role, nothing to check", opts: Options{SessionName: "x y"}},
		{
			name: "user, not role",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::123456789012:user/deploy" }),
			want: `invalid role-to-assume "arn:aws:iam::123456789012:user/deploy": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "short account",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::12345:role/deploy" }),
			want: `invalid role-to-assume "arn:aws:iam::12345:role/deploy": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "11-digit account",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::12345678901:role/deploy" }),
			want: `invalid role-to-assume "arn:aws:iam::12345678901:role/deploy": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "wildcard",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::123456789012:role/*" }),
			want: `invalid role-to-assume "arn:aws:iam::123456789012:role/*": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "wildcard account",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::*:role/deploy" }),
			want: `invalid role-to-assume "arn:aws:iam::*:role/deploy": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "trailing newline",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::123456789012:role/deploy\n::warning::x" }),
			want: `invalid role-to-assume "arn:aws:iam::123456789012:role/deploy\n::warning::x": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "another service",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:sts::123456789012:role/deploy" }),
			want: `invalid role-to-assume "arn:aws:sts::123456789012:role/deploy": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "a region in an IAM ARN",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam:us-east-1:123456789012:role/deploy" }),
			want: `invalid role-to-assume "arn:aws:iam:us-east-1:123456789012:role/deploy": want an IAM role ARN such as arn:aws:iam::123456789012:role/name`,
		},
		{
			name: "session name with a slash",
			opts: with(func(o *Options) { o.SessionName = "a/b" }),
			want: `invalid role-session-name "a/b": want 2 to 64 characters among letters, digits and _+=,.@-`,
		},
		{
			name: "session name with a newline",
			opts: with(func(o *Options) { o.SessionName = "ab\n" }),
			want: `invalid role-session-name "ab\n": want 2 to 64 characters among letters, digits and _+=,.@-`,
		},
		{
			name: "role ARN too long",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::123456789012:role/" + strings.Repeat("r", 2018) }),
			want: `invalid role-to-assume: 2049 characters, want at most 2048`,
		},
		{
			name: "longest role ARN",
			opts: with(func(o *Options) { o.RoleARN = "arn:aws:iam::123456789012:role/" + strings.Repeat("r", 2017) }),
		},
		{
			name: "session name with a space",
			opts: with(func(o *Options) { o.SessionName = "secret baker" }),
			want: `invalid role-session-name "secret baker": want 2 to 64 characters among letters, digits and _+=,.@-`,
		},
		{
			name: "session name too short",
			opts: with(func(o *Options) { o.SessionName = "s" }),
			want: `invalid role-session-name "s": want 2 to 64 characters among letters, digits and _+=,.@-`,
		},
		{
			name: "session name too long",
			opts: with(func(o *Options) { o.SessionName = strings.Repeat("s", 65) }),
			want: `invalid role-session-name "` + strings.Repeat("s", 65) + `": want 2 to 64 characters among letters, digits and _+=,.@-`,
		},
		{
			name: "duration too short",
			opts: with(func(o *Options) { o.Duration = 899 * time.Second }),
			want: `invalid role-duration-seconds 899: want 900 to 43200 seconds`,
		},
		{
			name: "duration too long",
			opts: with(func(o *Options) { o.Duration = 43201 * time.Second }),
			want: `invalid role-duration-seconds 43201: want 900 to 43200 seconds`,
		},
		{
			name: "no audience",
			opts: with(func(o *Options) { o.Audience = "" }),
			want: `invalid audience "": want the audience the role's trust policy expects, such as sts.amazonaws.com`,
		},
		{
			name: "no token function",
			opts: with(func(o *Options) { o.Token = nil }),
			want: `invalid options: Token and Mask are required with a role`,
		},
		{
			name: "every problem at once",
			opts: Options{RoleARN: "role/deploy"},
			want: `invalid role-to-assume "role/deploy": want an IAM role ARN such as arn:aws:iam::123456789012:role/name
invalid role-session-name "": want 2 to 64 characters among letters, digits and _+=,.@-
invalid role-duration-seconds 0: want 900 to 43200 seconds
invalid audience "": want the audience the role's trust policy expects, such as sts.amazonaws.com
invalid options: Token and Mask are required with a role`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := ""
			if err := tt.opts.Validate(); err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Validate() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
