package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/accounts"
	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/internal/ghcreds"
)

// command is what a run does.
type command string

const (
	commandBake   command = "bake"
	commandVerify command = "verify"
	commandDrift  command = "drift"
)

// input is one setting, read from INPUT_<NAME> in a GitHub Actions run and
// from --name on the command line; action.yml declares the same names. parse
// checks the value and stores it in the config.
type input struct {
	name  string
	def   string
	usage string
	parse func(c *config, name, value string) error
}

// inputs lists every setting, in the order --help shows.
var inputs = []input{
	{"config", ".github/secret-baker.yml", "spec file (secret-baker YAML, or a serverless.yml with custom.secretBaker), inside the workspace", path(func(c *config) *string { return &c.configPath })},
	{"secrets", "", "inline YAML of the spec's secrets section; instead of config", text(func(c *config) *string { return &c.secrets })},
	{"output", "", "baked file path inside the workspace (default: the spec's output, else " + baked.DefaultName + ")", path(func(c *config) *string { return &c.output })},
	{"aws-region", "", "AWS region (default: AWS_REGION, else AWS_DEFAULT_REGION)", text(func(c *config) *string { return &c.region })},
	{"verify", "true", "trial-decrypt every secret with KMS and check its validators before writing", boolean(func(c *config) *bool { return &c.verify })},
	{"kms-key-id", "", "KMS key every secret must be encrypted with: alias, key id or key ARN (default: the spec's kms-key-id)", keyID(func(c *config) *string { return &c.kmsKeyID })},
	{"file", "", "baked file to check, inside the workspace (verify and drift commands)", path(func(c *config) *string { return &c.file })},
	{"expected-digest", "", "sha256:<hex> the file to check must have, such as the bake step's digest output (verify command only)", digest(func(c *config) *string { return &c.expectedDigest })},
	{"fail-on-drift", "false", "fail the drift command when a secret is stale", boolean(func(c *config) *bool { return &c.failOnDrift })},
	{"role-to-assume", "", "IAM role ARN to assume with the job's GitHub OIDC token (default: the SDK's credential chain)", text(func(c *config) *string { return &c.role.arn })},
	{"role-session-name", "secret-baker", "session name for the assumed role", text(func(c *config) *string { return &c.role.sessionName })},
	{"role-duration-seconds", "900", "assumed role session duration in seconds (900-43200)", count(900, 43200, func(c *config) *int { return &c.role.durationSeconds })},
	{"audience", "sts.amazonaws.com", "audience of the OIDC token", text(func(c *config) *string { return &c.role.audience })},
	{"allowed-account-ids", "", "comma-separated 12-digit AWS account IDs the credentials must belong to (default: any account)", accountList},
	{"ssm-concurrency", "4", "SSM GetParameters calls (10 parameters each) in flight at once", count(1, 40, func(c *config) *int { return &c.ssmConc })},
	{"kms-concurrency", "16", "KMS Decrypt calls in flight at once", count(1, 256, func(c *config) *int { return &c.kmsConc })},
	{"ssm-rate", "40", "SSM requests per second to stay under: the account's Parameter Store throughput quota (40 by default, higher with higher throughput enabled)", count(1, 10000, func(c *config) *int { return &c.ssmRate })},
	{"timeout", "5m", "overall deadline of the run (a Go duration from 10s to 6h): throttled calls are retried until then", duration(10*time.Second, 6*time.Hour, func(c *config) *time.Duration { return &c.timeout })},
}

// text stores a value as it is.
func text(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, _, v string) error {
		*field(c) = v
		return nil
	}
}

// path stores a file name, which may hold no control character (see
// escape.Unsafe): no file name needs one, and printed it could forge output.
func path(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		if i := escape.Unsafe(v); i >= 0 {
			return fmt.Errorf("input %s holds a control character at byte %d: no file name needs one", name, i)
		}
		*field(c) = v
		return nil
	}
}

// digestPattern is the form of baked.Digest.
var digestPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// digest stores a baked file digest, empty or of baked.Digest's form.
func digest(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		if v != "" && !digestPattern.MatchString(v) {
			return fmt.Errorf("input %s must be sha256: and 64 lowercase hex digits, the bake step's digest output, got %s", name, strconv.Quote(v))
		}
		*field(c) = v
		return nil
	}
}

// boolean accepts the YAML 1.2 core booleans GitHub Actions passes.
func boolean(field func(*config) *bool) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		switch strings.ToLower(v) {
		case "true":
			*field(c) = true
		case "false":
			*field(c) = false
		default:
			return fmt.Errorf("input %s must be true or false, got %s", name, strconv.Quote(v))
		}
		return nil
	}
}

// keyIDPattern is what a KMS key identifier is made of: an alias name, a key
// id or a key or alias ARN.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9:/_.\-]+$`)

// keyID accepts an empty value or a KMS key identifier.
func keyID(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		if v != "" && !keyIDPattern.MatchString(v) {
			return fmt.Errorf("input %s must be a KMS alias, key id or key ARN, got %s", name, strconv.Quote(v))
		}
		*field(c) = v
		return nil
	}
}

// duration accepts a Go duration within [lo, hi].
func duration(lo, hi time.Duration, field func(*config) *time.Duration) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			return fmt.Errorf("input %s must be a duration from %s to %s such as 5m, got %s", name, lo, hi, strconv.Quote(v))
		}
		*field(c) = d
		return nil
	}
}

// count accepts a whole number within [lo, hi].
func count(lo, hi int, field func(*config) *int) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("input %s must be a whole number from %d to %d, got %s", name, lo, hi, strconv.Quote(v))
		}
		*field(c) = n
		return nil
	}
}

// accountList reads the allowed-account-ids list.
func accountList(c *config, name, v string) error {
	allowed, err := accounts.Parse(v)
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	c.allowedAccounts = allowed
	return nil
}

// host is what the environment says about where the program runs, read
// once.
type host struct {
	githubAction bool   // a GitHub Actions run: GITHUB_ACTIONS=true
	workspace    string // GITHUB_WORKSPACE, else the working directory
}

func readHost(getenv func(string) string) host {
	return host{githubAction: getenv("GITHUB_ACTIONS") == "true", workspace: cmp.Or(getenv("GITHUB_WORKSPACE"), ".")}
}

// roleConfig is the role to assume through GitHub OIDC; arn is empty when
// the SDK's default credential chain is to be used.
type roleConfig struct {
	arn             string
	sessionName     string
	durationSeconds int
	audience        string
}

// options turns the role inputs into ghcreds options.
func (r roleConfig) options(token ghcreds.TokenFunc, mask func(string)) ghcreds.Options {
	return ghcreds.Options{
		RoleARN:     r.arn,
		SessionName: r.sessionName,
		Duration:    time.Duration(r.durationSeconds) * time.Second,
		Audience:    r.audience,
		Token:       token,
		Mask:        mask,
	}
}

// config is every input, parsed and checked once.
type config struct {
	host
	command    command
	configPath string
	configSet  bool
	secrets    string
	output     string
	region     string
	verify     bool
	kmsKeyID   string
	file       string
	// expectedDigest is the digest the verify command's file must have,
	// empty for any.
	expectedDigest string
	failOnDrift    bool
	role           roleConfig
	ssmConc        int
	kmsConc        int
	ssmRate        int           // SSM requests per second to pace to
	timeout        time.Duration // overall deadline of the run

	allowedAccounts accounts.Allowed // the accounts the credentials may belong to; empty: any
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// errHelp is returned when --help was asked for; it is not a failure.
var errHelp = flag.ErrHelp

// parseConfig reads the inputs from args, the command line's flags, and in a
// GitHub Actions run given no arguments (a container step, as action.yml
// runs it) the runner's way, from INPUT_<NAME>: a run: step of the CLI passes
// flags, which are then not ignored.
func parseConfig(h host, args []string, getenv func(string) string, usage io.Writer) (*config, error) {
	cfg := &config{host: h, command: commandBake}
	var values map[string]string
	var err error
	if h.githubAction && len(args) == 0 {
		values = actionValues(cfg, getenv)
	} else if values, err = flagValues(cfg, args, usage); err != nil {
		return nil, err
	}
	if cfg.command != commandBake && cfg.command != commandVerify && cfg.command != commandDrift {
		return nil, fmt.Errorf("unknown command %q: want bake, verify or drift", cfg.command)
	}
	_, cfg.configSet = values["config"]
	var parseErr error // the first, reported after the inputs that conflict
	for _, in := range inputs {
		v, ok := values[in.name]
		if !ok {
			v = in.def
		}
		if err := in.parse(cfg, in.name, v); err != nil && parseErr == nil {
			parseErr = err
		}
	}
	switch {
	case cfg.secrets != "" && cfg.configSet:
		return nil, errors.New("inputs config and secrets are both given: use one")
	case cfg.command != commandBake && values["file"] == "":
		return nil, fmt.Errorf("the %s command needs --file, the baked file to check", cfg.command)
	case cfg.command == commandBake && values["file"] != "":
		return nil, errors.New("input file is for the verify and drift commands; bake writes to output")
	case cfg.command != commandVerify && values["expected-digest"] != "":
		return nil, errors.New("input expected-digest is for the verify command")
	case cfg.command != commandDrift && cfg.failOnDrift:
		return nil, errors.New("input fail-on-drift is for the drift command")
	case parseErr != nil:
		return nil, parseErr
	}
	if err := cfg.role.options(nil, nil).CheckInputs(); err != nil {
		return nil, err
	}
	cfg.region = cmp.Or(cfg.region, getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"))
	switch {
	case cfg.region == "":
		return nil, errors.New("no AWS region: set the aws-region input (--aws-region) or AWS_REGION")
	case !regionPattern.MatchString(cfg.region):
		return nil, fmt.Errorf("invalid AWS region %q: want a region code such as us-east-1", cfg.region)
	}
	return cfg, nil
}

// actionValues returns the inputs a GitHub Actions run sets (INPUT_<NAME>,
// blank counting as unset) and reads the command from INPUT_COMMAND.
func actionValues(cfg *config, getenv func(string) string) map[string]string {
	values := map[string]string{}
	for _, in := range inputs {
		if v := strings.TrimSpace(getenv("INPUT_" + strings.ToUpper(in.name))); v != "" {
			values[in.name] = v
		}
	}
	if v := strings.TrimSpace(getenv("INPUT_COMMAND")); v != "" {
		cfg.command = command(v)
	}
	return values
}

// flagValues returns the flags args sets and reads the command from its
// first argument, when that is no flag.
func flagValues(cfg *config, args []string, usage io.Writer) (map[string]string, error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cfg.command, args = command(args[0]), args[1:]
	}
	fs := flag.NewFlagSet("secret-baker "+string(cfg.command), flag.ContinueOnError)
	// The flag package prints its errors as they are; the reporter prints
	// them escaped.
	fs.SetOutput(io.Discard)
	fs.Usage = func() { printUsage(usage, fs) }
	for _, in := range inputs {
		fs.String(in.name, in.def, in.usage)
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	values := map[string]string{}
	fs.Visit(func(f *flag.Flag) { values[f.Name] = f.Value.String() })
	return values, nil
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `secret-baker bakes SSM SecureString ciphertext into a file for AWS Lambda and
verifies that every secret decrypts and matches its validators.

Usage:
  secret-baker [bake] [flags]          read the spec, bake, verify, write the file
  secret-baker verify --file F [flags] verify an existing baked file against the spec
  secret-baker drift --file F [flags]  tell which secrets of a baked file are stale in SSM

In a GitHub Actions run (GITHUB_ACTIONS=true) the same settings come from the
step's inputs (INPUT_CONFIG, INPUT_AWS-REGION, ...).

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
