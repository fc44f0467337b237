package cli

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/org/secret-baker/internal/ghcreds"
)

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

// config is every input, parsed and checked once. Each command takes the
// few fields it needs from it (commands.go).
type config struct {
	host
	command  string
	spec     specSource
	output   string
	verify   bool
	bundle   bool // the bundle input; the spec may ask for one too
	kmsKeyID string
	file     string
	// expectedDigest is the digest the verify command's file must have,
	// empty for any.
	expectedDigest string
	failOnDrift    bool
	// functionRoles are the function-roles input's role ARNs, joined by
	// commas (a string, so that a config compares with ==); empty for the
	// spec's.
	functionRoles string
	ssmConc       int
	kmsConc       int
	timeout       time.Duration // overall deadline of the run
	aws           awsSettings

	// bakedName is the baked file's name at the root of the verify
	// command's artifact, empty for baked.DefaultName.
	bakedName string
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
	if _, ok := lookupCommand(cfg.command); !ok {
		return nil, fmt.Errorf("unknown command %q: want %s", cfg.command, commandNames())
	}
	_, cfg.spec.fileSet = values["config"]
	if values["secrets"] != "" && cfg.spec.fileSet {
		return nil, errors.New("inputs config and secrets are both given: use one")
	}
	var parseErr error // the first, reported after the inputs that conflict
	for _, in := range inputs {
		v, ok := values[in.name]
		if !ok {
			v = in.def
		}
		if err := checkApplies(in, cfg.command, v); err != nil {
			return nil, err
		}
		if err := in.parse(cfg, in.name, v); err != nil && parseErr == nil {
			parseErr = err
		}
	}
	if parseErr != nil {
		return nil, parseErr
	}
	cfg.spec.workspace = h.workspace
	if err := cfg.aws.role.options(nil, nil).CheckInputs(); err != nil {
		return nil, err
	}
	cfg.aws.region = cmp.Or(cfg.aws.region, getenv("AWS_REGION"), getenv("AWS_DEFAULT_REGION"))
	switch {
	case cfg.aws.region == "":
		return nil, errors.New("no AWS region: set the aws-region input (--aws-region) or AWS_REGION")
	case !regionPattern.MatchString(cfg.aws.region):
		return nil, fmt.Errorf("invalid AWS region %q: want a region code such as us-east-1", cfg.aws.region)
	}
	return cfg, nil
}

// checkApplies refuses value v of input in for command, when the command
// does not take the input and v is not its default, or needs it and v is
// empty.
func checkApplies(in input, command, v string) error {
	switch {
	case !in.forCommand(command) && !strings.EqualFold(v, in.def):
		return fmt.Errorf("input %s is for the %s command%s%s", in.name, joinOr(in.commands, "and"), plural(len(in.commands)), in.elsewhere)
	case in.forCommand(command) && in.needed != "" && v == "":
		return fmt.Errorf("the %s command needs --%s, %s", command, in.name, in.needed)
	}
	return nil
}

// joinOr joins words as "a, b or c", with conjunction for "or".
func joinOr(words []string, conjunction string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conjunction + " " + words[len(words)-1]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
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
		cfg.command = v
	}
	return values
}

// flagValues returns the flags args sets and reads the command from its
// first argument, when that is no flag.
func flagValues(cfg *config, args []string, usage io.Writer) (map[string]string, error) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cfg.command, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("secret-baker "+cfg.command, flag.ContinueOnError)
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
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  secret-baker %-24s%s\n", c.synopsis, c.summary)
	}
	fmt.Fprint(w, `
In a GitHub Actions run (GITHUB_ACTIONS=true) the same settings come from the
step's inputs (INPUT_CONFIG, INPUT_AWS-REGION, ...).

Flags:
`)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}
