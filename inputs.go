package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/org/secret-baker/internal/ghcreds"
)

// input is one setting, read from INPUT_<NAME> in a GitHub Actions run and
// from --name on the command line; action.yml declares the same names.
type input struct {
	name  string
	def   string
	usage string
}

// inputs lists every setting of the bake command, in the order --help shows.
var inputs = []input{
	{"config", ".github/secret-baker.yml", "spec file (secret-baker YAML, or a serverless.yml with custom.secretBaker), relative to the workspace"},
	{"secrets", "", "inline YAML of the spec's secrets section; instead of config"},
	{"output", "", "baked file path inside the workspace (default: the spec's output, else " + defaultOutput + ")"},
	{"aws-region", "", "AWS region (default: AWS_REGION, else AWS_DEFAULT_REGION)"},
	{"verify", "true", "trial-decrypt every secret with KMS and check its validators before writing"},
	{"kms-key-id", "", "KMS key every secret must be encrypted with: alias, key id or key ARN (default: the spec's kms-key-id)"},
	{"file", "", "baked file to check (verify command only)"},
	{"role-to-assume", "", "IAM role ARN to assume with the job's GitHub OIDC token (default: the SDK's credential chain)"},
	{"role-session-name", "secret-baker", "session name for the assumed role"},
	{"role-duration-seconds", "900", "assumed role session duration in seconds (900-43200)"},
	{"audience", "sts.amazonaws.com", "audience of the OIDC token"},
	{"ssm-concurrency", "4", "SSM GetParameters calls (10 parameters each) in flight at once"},
	{"kms-concurrency", "16", "KMS Decrypt calls in flight at once"},
}

const defaultOutput = "secret-baker-secrets.json"

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
	command      string
	configPath   string
	configSet    bool
	secrets      string
	output       string
	region       string
	verify       bool
	kmsKeyID     string
	file         string
	role         roleConfig
	ssmConc      int
	kmsConc      int
	workspace    string
	githubAction bool
}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// errHelp is returned when --help was asked for; it is not a failure.
var errHelp = flag.ErrHelp

// parseConfig reads the inputs the runner's way in a GitHub Actions run
// (GITHUB_ACTIONS=true) and from args otherwise.
func parseConfig(args []string, getenv func(string) string, usage io.Writer) (*config, error) {
	values := map[string]string{}
	set := map[string]bool{}
	cfg := &config{command: "bake", githubAction: getenv("GITHUB_ACTIONS") == "true"}
	if cfg.githubAction {
		for _, in := range inputs {
			if v := strings.TrimSpace(getenv("INPUT_" + strings.ToUpper(strings.ReplaceAll(in.name, " ", "_")))); v != "" {
				values[in.name], set[in.name] = v, true
			}
		}
		if v := strings.TrimSpace(getenv("INPUT_COMMAND")); v != "" {
			cfg.command = v
		}
	} else {
		if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
			cfg.command, args = args[0], args[1:]
		}
		fs := flag.NewFlagSet("secret-baker "+cfg.command, flag.ContinueOnError)
		fs.SetOutput(usage)
		fs.Usage = func() { printUsage(usage, fs) }
		ptrs := map[string]*string{}
		for _, in := range inputs {
			ptrs[in.name] = fs.String(in.name, in.def, in.usage)
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() > 0 {
			return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
		}
		fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
		for name, p := range ptrs {
			values[name] = *p
		}
	}
	for _, in := range inputs {
		if !set[in.name] {
			values[in.name] = in.def
		}
	}
	if cfg.command != "bake" && cfg.command != "verify" {
		return nil, fmt.Errorf("unknown command %q: want bake or verify", cfg.command)
	}

	cfg.configPath, cfg.configSet = values["config"], set["config"]
	cfg.secrets = values["secrets"]
	if cfg.secrets != "" && cfg.configSet {
		return nil, errors.New("inputs config and secrets are both given: use one")
	}
	cfg.output = values["output"]
	cfg.kmsKeyID = values["kms-key-id"]
	cfg.file = values["file"]
	if cfg.command == "verify" && cfg.file == "" {
		return nil, errors.New("the verify command needs --file, the baked file to check")
	}
	if cfg.command == "bake" && cfg.file != "" {
		return nil, errors.New("input file is for the verify command; bake writes to output")
	}

	var err error
	if cfg.verify, err = parseBool("verify", values["verify"]); err != nil {
		return nil, err
	}
	if cfg.ssmConc, err = parseCount("ssm-concurrency", values["ssm-concurrency"], 1, 40); err != nil {
		return nil, err
	}
	if cfg.kmsConc, err = parseCount("kms-concurrency", values["kms-concurrency"], 1, 256); err != nil {
		return nil, err
	}
	cfg.role = roleConfig{
		arn:         values["role-to-assume"],
		sessionName: values["role-session-name"],
		audience:    values["audience"],
	}
	if cfg.role.durationSeconds, err = parseCount("role-duration-seconds", values["role-duration-seconds"], 900, 43200); err != nil {
		return nil, err
	}
	cfg.region = firstNonEmpty(values["aws-region"], getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"))
	if cfg.region != "" && !regionPattern.MatchString(cfg.region) {
		return nil, fmt.Errorf("invalid AWS region %q: want a region code such as us-east-1", cfg.region)
	}
	cfg.workspace = firstNonEmpty(getenv("GITHUB_WORKSPACE"), ".")
	return cfg, nil
}

// parseBool accepts the YAML 1.2 core booleans GitHub Actions passes.
func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("input %s must be true or false, got %s", name, strconv.Quote(v))
}

// parseCount parses a whole number input within [lo, hi].
func parseCount(name, v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("input %s must be a whole number from %d to %d, got %s", name, lo, hi, strconv.Quote(v))
	}
	return n, nil
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

func printUsage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, `secret-baker bakes SSM SecureString ciphertext into a file for AWS Lambda and
verifies that every secret decrypts and matches its validators.

Usage:
  secret-baker [bake] [flags]          read the spec, bake, verify, write the file
  secret-baker verify --file F [flags] verify an existing baked file against the spec

In a GitHub Actions run (GITHUB_ACTIONS=true) the same settings come from the
step's inputs (INPUT_CONFIG, INPUT_AWS-REGION, ...).

Flags:
`)
	fs.PrintDefaults()
}
