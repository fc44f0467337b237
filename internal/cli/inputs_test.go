package cli

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/org/secret-baker/internal/accounts"
	"github.com/org/secret-baker/internal/report"
)

// env returns a getenv over vars.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestParseConfigDefaults(t *testing.T) {
	t.Parallel()
	for _, githubAction := range []bool{false, true} {
		cfg, err := parseConfig(host{githubAction: githubAction, workspace: "/ws"}, nil, env(map[string]string{"AWS_REGION": "us-east-1"}), &strings.Builder{})
		if err != nil {
			t.Fatal(err)
		}
		want := config{
			host:    host{githubAction: githubAction, workspace: "/ws"},
			command: commandBake,
			spec:    specSource{workspace: "/ws", file: ".github/secret-baker.yml"},
			verify:  true,
			ssmConc: 4,
			kmsConc: 16,
			timeout: 5 * time.Minute,
			aws: awsSettings{
				region:  "us-east-1",
				role:    roleConfig{sessionName: "secret-baker", durationSeconds: 900, audience: "sts.amazonaws.com"},
				ssmRate: 40,
				smRate:  10000,
			},
		}
		if *cfg != want {
			t.Errorf("GitHub Actions %v: config = %+v, want %+v", githubAction, *cfg, want)
		}
	}
}

// TestParseConfigEveryInput sets every input, as a flag and as INPUT_*, and checks where
// each value lands.
func TestParseConfigEveryInput(t *testing.T) {
	t.Parallel()
	values := map[string]string{
		"config": "spec.yml", "output": "out/s.json", "aws-region": "eu-west-1", "verify": "FALSE", "bundle": "true",
		"kms-key-id": "alias/k", "role-to-assume": "arn:aws:iam::123456789012:role/r", "role-session-name": "ss",
		"role-duration-seconds": "3600", "audience": "aud", "ssm-concurrency": "40", "kms-concurrency": "256",
		"allowed-account-ids": "123456789012, 210987654321", "ssm-rate": "100", "secretsmanager-rate": "500", "timeout": "90s",
		"function-roles": "arn:aws:iam::123456789012:role/a,\n arn:aws:iam::123456789012:role/b",
	}
	allowed, err := accounts.Parse("123456789012,210987654321")
	if err != nil {
		t.Fatal(err)
	}
	want := config{
		command: commandBake, spec: specSource{file: "spec.yml", fileSet: true}, output: "out/s.json",
		bundle: true, kmsKeyID: "alias/k", ssmConc: 40, kmsConc: 256, timeout: 90 * time.Second,
		functionRoles: "arn:aws:iam::123456789012:role/a,arn:aws:iam::123456789012:role/b",
		aws: awsSettings{
			region: "eu-west-1", ssmRate: 100, smRate: 500, allowed: allowed,
			role: roleConfig{arn: "arn:aws:iam::123456789012:role/r", sessionName: "ss", durationSeconds: 3600, audience: "aud"},
		},
	}
	var args []string
	vars := map[string]string{}
	for name, v := range values {
		args = append(args, "--"+name+"="+v)
		vars["INPUT_"+strings.ToUpper(name)] = " " + v + "\n"
	}
	cli, err := parseConfig(host{}, args, env(nil), &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if *cli != want {
		t.Errorf("flags: config = %+v, want %+v", *cli, want)
	}
	action, err := parseConfig(host{githubAction: true}, nil, env(vars), &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	want.githubAction = true
	if *action != want {
		t.Errorf("inputs: config = %+v, want %+v", *action, want)
	}
	if len(values) != len(inputs)-5 { // secrets, file, expected-digest, baked-name and fail-on-drift conflict with config and bake
		t.Errorf("the test sets %d of %d inputs", len(values), len(inputs))
	}
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		gha   bool
		args  []string
		vars  map[string]string
		check func(c *config) bool
	}{
		{name: "verify command", args: []string{"verify", "--file", "f.json"}, check: func(c *config) bool { return c.command == commandVerify && c.file == "f.json" }},
		{name: "flags in a GitHub Actions run win over inputs", gha: true, args: []string{"--config", "cli.yml"}, vars: map[string]string{"INPUT_CONFIG": "input.yml", "INPUT_VERIFY": "false"},
			check: func(c *config) bool { return c.githubAction && c.spec.file == "cli.yml" && c.verify }},
		{name: "no flags in a GitHub Actions run: inputs", gha: true, vars: map[string]string{"INPUT_CONFIG": "input.yml"}, check: func(c *config) bool { return c.spec.file == "input.yml" }},
		{name: "verify command input", gha: true, vars: map[string]string{"INPUT_COMMAND": "verify", "INPUT_FILE": "f.json"}, check: func(c *config) bool { return c.command == commandVerify }},
		{name: "drift command", args: []string{"drift", "--file", "f.json"}, check: func(c *config) bool { return c.command == commandDrift && c.file == "f.json" && !c.failOnDrift }},
		{name: "drift command input", gha: true, vars: map[string]string{"INPUT_COMMAND": "drift", "INPUT_FILE": "f.json", "INPUT_FAIL-ON-DRIFT": "true"}, check: func(c *config) bool { return c.command == commandDrift && c.failOnDrift }},
		{name: "fail-on-drift false with bake", gha: true, vars: map[string]string{"INPUT_FAIL-ON-DRIFT": "false"}, check: func(c *config) bool { return c.command == commandBake && !c.failOnDrift }},
		{name: "blank input is unset", gha: true, vars: map[string]string{"INPUT_CONFIG": "  ", "INPUT_VERIFY": ""}, check: func(c *config) bool { return !c.spec.fileSet && c.verify }},
		{name: "config given as its default", args: []string{"--config", ".github/secret-baker.yml"}, check: func(c *config) bool { return c.spec.fileSet }},
		{name: "secrets input", gha: true, vars: map[string]string{"INPUT_SECRETS": "A: /a"}, check: func(c *config) bool { return c.spec.inline == "A: /a" && !c.spec.fileSet }},
		{name: "region from AWS_REGION", vars: map[string]string{"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"}, check: func(c *config) bool { return c.aws.region == "eu-west-1" }},
		{name: "region from AWS_DEFAULT_REGION", vars: map[string]string{"AWS_DEFAULT_REGION": "us-west-2"}, check: func(c *config) bool { return c.aws.region == "us-west-2" }},
		{name: "region input first", args: []string{"--aws-region", "ap-southeast-2"}, vars: map[string]string{"AWS_REGION": "eu-west-1"}, check: func(c *config) bool { return c.aws.region == "ap-southeast-2" }},
		{name: "GovCloud region", args: []string{"--aws-region", "us-gov-west-1"}, check: func(c *config) bool { return c.aws.region == "us-gov-west-1" }},
		{name: "verify True", gha: true, vars: map[string]string{"INPUT_VERIFY": "True"}, check: func(c *config) bool { return c.verify }},
		{name: "lowest counts", args: []string{"--ssm-concurrency", "1", "--kms-concurrency", "1", "--role-duration-seconds", "900"}, check: func(c *config) bool { return c.ssmConc == 1 && c.kmsConc == 1 }},
		{name: "longest session", args: []string{"--role-duration-seconds", "43200"}, check: func(c *config) bool { return c.aws.role.durationSeconds == 43200 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"AWS_DEFAULT_REGION": "us-east-1"}
			maps.Copy(vars, tt.vars)
			cfg, err := parseConfig(host{githubAction: tt.gha}, tt.args, env(vars), &strings.Builder{})
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(cfg) {
				t.Errorf("config = %+v", *cfg)
			}
		})
	}
}

// TestUsageErrors runs every usage error through runMain, in-process: its message, on stderr
// or as an annotation, and exit code 2, with nothing on stdout outside GitHub Actions.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		vars map[string]string // Action inputs when INPUT_* are set
		want string
	}{
		{name: "unknown command", args: []string{"bakee"}, want: `unknown command "bakee": want bake, verify, drift or check-roles`},
		{name: "unknown command input", vars: map[string]string{"INPUT_COMMAND": "rotate"}, want: `unknown command "rotate": want bake, verify, drift or check-roles`},
		{name: "unknown flag", args: []string{"--bogus"}, want: "flag provided but not defined: -bogus"},
		{name: "unexpected argument", args: []string{"bake", "extra"}, want: `unexpected argument "extra"`},
		{name: "config and secrets", vars: map[string]string{"INPUT_CONFIG": "a.yml", "INPUT_SECRETS": "A: /a"}, want: "inputs config and secrets are both given: use one"},
		{name: "verify without file", args: []string{"verify"}, want: "the verify command needs --file, the baked file to check"},
		{name: "drift without file", vars: map[string]string{"INPUT_COMMAND": "drift"}, want: "the drift command needs --file, the baked file to check"},
		{name: "file with bake", args: []string{"--file", "f.json"}, want: "input file is for the verify, drift and check-roles commands; bake writes to output"},
		{name: "fail-on-drift with bake", args: []string{"--fail-on-drift=true"}, want: "input fail-on-drift is for the drift command"},
		{name: "fail-on-drift with verify", vars: map[string]string{"INPUT_COMMAND": "verify", "INPUT_FILE": "f.json", "INPUT_FAIL-ON-DRIFT": "true"}, want: "input fail-on-drift is for the drift command"},
		{name: "fail-on-drift not a boolean", args: []string{"drift", "--file", "f.json", "--fail-on-drift=maybe"}, want: `input fail-on-drift must be true or false, got "maybe"`},
		{name: "verify not a boolean", vars: map[string]string{"INPUT_VERIFY": "yes"}, want: `input verify must be true or false, got "yes"`},
		{name: "ssm concurrency too high", args: []string{"--ssm-concurrency", "41"}, want: `input ssm-concurrency must be a whole number from 1 to 40, got "41"`},
		{name: "kms concurrency zero", args: []string{"--kms-concurrency", "0"}, want: `input kms-concurrency must be a whole number from 1 to 256, got "0"`},
		{name: "kms concurrency not a number", vars: map[string]string{"INPUT_KMS-CONCURRENCY": "many"}, want: `input kms-concurrency must be a whole number from 1 to 256, got "many"`},
		{name: "duration too short", args: []string{"--role-duration-seconds", "899"}, want: `input role-duration-seconds must be a whole number from 900 to 43200, got "899"`},
		{name: "duration too long", args: []string{"--role-duration-seconds", "43201"}, want: `input role-duration-seconds must be a whole number from 900 to 43200, got "43201"`},
		{name: "invalid region", args: []string{"--aws-region", "us_east_1"}, want: `invalid AWS region "us_east_1": want a region code such as us-east-1`},
		{name: "invalid AWS_REGION", vars: map[string]string{"AWS_REGION": "Mars"}, want: `invalid AWS region "Mars": want a region code such as us-east-1`},
		{name: "conflict before a bad value", args: []string{"verify", "--verify", "yes"}, want: "the verify command needs --file"},
		{name: "check-roles without file", args: []string{"check-roles"}, want: "the check-roles command needs --file, the baked file to check"},
		{name: "function-roles naming no role", args: []string{"--function-roles", " ,\n, "}, want: "input function-roles lists no role to check"},
		{name: "function-roles item not a role ARN, unquoted", vars: map[string]string{"INPUT_FUNCTION-ROLES": "arn:aws:iam::123456789012:role/ok\nhunter2"}, want: "item 2 of 2 of input function-roles is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)"},
		{name: "function-roles with drift", args: []string{"drift", "--file", "f.json", "--function-roles", "arn:aws:iam::123456789012:role/a"}, want: "input function-roles is for the bake, verify and check-roles commands"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{}
			for k, v := range tt.vars {
				vars[k] = v
				if strings.HasPrefix(k, "INPUT_") {
					vars["GITHUB_ACTIONS"] = "true"
				}
			}
			var stdout, stderr strings.Builder
			err := runMain(t.Context(), tt.args, env(vars), &stdout, &stderr)
			var usage *report.InvalidInput
			if !errors.As(err, &usage) || exitCode(err) != 2 {
				t.Fatalf("runMain() = %v (exit %d), want an invalid input (exit 2)", err, exitCode(err))
			}
			out := stderr.String()
			if vars["GITHUB_ACTIONS"] == "true" {
				out = stdout.String()
				if !strings.HasPrefix(out, "::error title=secret-baker failed::invalid input: ") {
					t.Errorf("stdout = %q, want an error annotation", out)
				}
			} else if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout.String())
			}
			if !strings.Contains(out, "invalid input: "+tt.want) {
				t.Errorf("output = %q, want %q", out, "invalid input: "+tt.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	var stdout, stderr strings.Builder
	err := runMain(t.Context(), []string{"--help"}, env(nil), &stdout, &stderr)
	if !errors.Is(err, errHelp) || exitCode(err) != 0 {
		t.Fatalf("runMain(--help) = %v (exit %d), want errHelp (exit 0)", err, exitCode(err))
	}
	for _, in := range inputs {
		if !strings.Contains(stderr.String(), "-"+in.name) {
			t.Errorf("--help does not show -%s:\n%s", in.name, stderr.String())
		}
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want int
	}{
		{nil, 0},
		{errHelp, 0},
		{&report.InvalidInput{Err: errors.New("x")}, 2},
		{errors.New("x"), 1},
		{report.Findings{{Detail: "m"}}, 1},
	} {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("exitCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}
