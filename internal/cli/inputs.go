package cli

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/accounts"
	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/spec"
)

// input is one setting, read from INPUT_<NAME> in a GitHub Actions run and
// from --name on the command line; action.yml declares the same names. parse
// checks the value and stores it in the config.
type input struct {
	name  string
	def   string
	usage string
	// commands are the commands that take the input, nil for every one;
	// another command refuses it unless it holds its default.
	commands []string
	// needed tells that those commands refuse to run without it, and says
	// what it is for.
	needed string
	// elsewhere ends the refusal of the input by another command.
	elsewhere string
	parse     func(c *config, name, value string) error
}

// forCommand reports whether command takes the input.
func (in input) forCommand(command string) bool {
	return in.commands == nil || slices.Contains(in.commands, command)
}

// commands lists every command, the default first, in the order --help
// shows them.
var commands = []command{
	{commandBake, "[bake] [flags]", "read the spec, bake, verify, write the file", newBake},
	{commandVerify, "verify --file F [flags]", "verify an existing baked file against the spec", newVerify},
	{commandDrift, "drift --file F [flags]", "tell which secrets of a baked file are stale in SSM", newDrift},
	{commandCheckRoles, "check-roles --file F [flags]", "prove that the function roles can decrypt every secret", newCheckRoles},
}

// inputs lists every setting, in the order --help shows.
var inputs = []input{
	{"config", ".github/secret-baker.yml", "spec file (secret-baker YAML, or a serverless.yml with custom.secretBaker), inside the workspace", nil, "", "", pathInput(func(c *config) *string { return &c.spec.file })},
	{"secrets", "", "inline YAML of the spec's secrets section; instead of config", nil, "", "", textInput(func(c *config) *string { return &c.spec.inline })},
	{"output", "", "baked file path inside the workspace (default: the spec's output, else " + baked.DefaultName + ")", nil, "", "", pathInput(func(c *config) *string { return &c.output })},
	{"aws-region", "", "AWS region (default: AWS_REGION, else AWS_DEFAULT_REGION)", nil, "", "", textInput(func(c *config) *string { return &c.aws.region })},
	{"verify", "true", "trial-decrypt every secret with KMS and check its validators before writing", nil, "", "", boolInput(func(c *config) *bool { return &c.verify })},
	{"kms-key-id", "", "KMS key every secret must be encrypted with: alias, key id or key ARN (default: the spec's kms-key-id)", nil, "", "", keyIDInput(func(c *config) *string { return &c.kmsKeyID })},
	{"bundle", "false", "also seal every value into one bundle under kms-key-id, so that a cold start makes one KMS call per 4 KiB chunk instead of one per secret (default: the spec's bundle)", []string{commandBake}, "", "", boolInput(func(c *config) *bool { return &c.bundle })},
	{"file", "", "baked file to check, inside the workspace (verify, drift and check-roles commands); for verify also a deployment artifact holding it: a zip archive or a directory", []string{commandVerify, commandDrift, commandCheckRoles}, "the baked file to check", "; bake writes to output", pathInput(func(c *config) *string { return &c.file })},
	{"expected-digest", "", "sha256:<hex> the file to check must have, such as the bake step's digest output (verify command only)", []string{commandVerify}, "", "", digestInput(func(c *config) *string { return &c.expectedDigest })},
	{"baked-name", "", "name of the baked file at the root of a zip or directory given as file (default: " + baked.DefaultName + "; verify command only)", []string{commandVerify}, "", "", baseNameInput(func(c *config) *string { return &c.bakedName })},
	{"fail-on-drift", "false", "fail the drift command when a secret is stale", []string{commandDrift}, "", "", boolInput(func(c *config) *bool { return &c.failOnDrift })},
	{"function-roles", "", "IAM role ARNs of the Lambda functions, separated by commas or newlines, to prove each can decrypt every secret (default: the spec's function-roles)", []string{commandBake, commandVerify, commandCheckRoles}, "", "", rolesInput},
	{"role-to-assume", "", "IAM role ARN to assume with the job's GitHub OIDC token (default: the SDK's credential chain)", nil, "", "", textInput(func(c *config) *string { return &c.aws.role.arn })},
	{"role-session-name", "secret-baker", "session name for the assumed role", nil, "", "", textInput(func(c *config) *string { return &c.aws.role.sessionName })},
	{"role-duration-seconds", "900", "assumed role session duration in seconds (900-43200)", nil, "", "", countInput(900, 43200, func(c *config) *int { return &c.aws.role.durationSeconds })},
	{"audience", "sts.amazonaws.com", "audience of the OIDC token", nil, "", "", textInput(func(c *config) *string { return &c.aws.role.audience })},
	{"allowed-account-ids", "", "comma-separated 12-digit AWS account IDs the credentials must belong to (default: any account)", nil, "", "", accountsInput},
	{"ssm-concurrency", "4", "SSM GetParameters calls (10 parameters each) in flight at once", nil, "", "", countInput(1, 40, func(c *config) *int { return &c.ssmConc })},
	{"kms-concurrency", "16", "KMS Decrypt calls in flight at once", nil, "", "", countInput(1, 256, func(c *config) *int { return &c.kmsConc })},
	{"ssm-rate", "40", "SSM requests per second to stay under: the account's Parameter Store throughput quota (40 by default, higher with higher throughput enabled)", nil, "", "", countInput(1, 10000, func(c *config) *int { return &c.aws.ssmRate })},
	{"secretsmanager-rate", "10000", "Secrets Manager requests per second to stay under: the account's GetSecretValue and DescribeSecret quota (10000 by default)", nil, "", "", countInput(1, 10000, func(c *config) *int { return &c.aws.smRate })},
	{"timeout", "5m", "overall deadline of the run (a Go duration from 10s to 6h): throttled calls are retried until then", nil, "", "", durationInput(10*time.Second, 6*time.Hour, func(c *config) *time.Duration { return &c.timeout })},
}

// textInput stores a value as it is.
func textInput(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, _, v string) error {
		*field(c) = v
		return nil
	}
}

// pathInput stores a file name, which may hold no control, invisible or
// bidi character (see escape.Unsafe): no file name needs one, and printed it
// could forge output or pass for another name. The refusal shows the
// character escaped.
func pathInput(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		if i := escape.Unsafe(v); i >= 0 {
			_, size := utf8.DecodeRuneInString(v[i:])
			return fmt.Errorf("input %s holds a control or invisible character (%s) at byte %d: no file name needs one", name, escape.Terminal(v[i:i+size]), i)
		}
		*field(c) = v
		return nil
	}
}

// digestPattern is the form of baked.Digest.
var digestPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// digestInput stores a baked file digest, empty or of baked.Digest's form.
func digestInput(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		if v != "" && !digestPattern.MatchString(v) {
			return fmt.Errorf("input %s must be sha256: and 64 lowercase hex digits, the bake step's digest output, got %s", name, strconv.Quote(v))
		}
		*field(c) = v
		return nil
	}
}

// boolInput accepts the YAML 1.2 core booleans GitHub Actions passes.
func boolInput(field func(*config) *bool) func(*config, string, string) error {
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

// keyIDInput accepts an empty value or a KMS key identifier.
func keyIDInput(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		if v != "" && !keyIDPattern.MatchString(v) {
			return fmt.Errorf("input %s must be a KMS alias, key id or key ARN, got %s", name, strconv.Quote(v))
		}
		*field(c) = v
		return nil
	}
}

// durationInput accepts a Go duration within [lo, hi].
func durationInput(lo, hi time.Duration, field func(*config) *time.Duration) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < lo || d > hi {
			return fmt.Errorf("input %s must be a duration from %s to %s such as 5m, got %s", name, lo, hi, strconv.Quote(v))
		}
		*field(c) = d
		return nil
	}
}

// countInput accepts a whole number within [lo, hi].
func countInput(lo, hi int, field func(*config) *int) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return fmt.Errorf("input %s must be a whole number from %d to %d, got %s", name, lo, hi, strconv.Quote(v))
		}
		*field(c) = n
		return nil
	}
}

// rolesInput reads the function-roles list: IAM role ARNs separated by
// commas or newlines. A given list that names no role is refused, and an item
// that is no role ARN is counted, not quoted.
func rolesInput(c *config, name, v string) error {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	items := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '\n' || r == '\r' })
	var arns []string
	for i, item := range items {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
		case !spec.RoleARNPattern.MatchString(item):
			return fmt.Errorf("item %d of %d of input %s is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", i+1, len(items), name)
		default:
			arns = append(arns, item)
		}
	}
	if len(arns) == 0 {
		return fmt.Errorf("input %s lists no role to check", name)
	}
	c.functionRoles = strings.Join(arns, ",")
	return nil
}

// accountsInput reads the allowed-account-ids list.
func accountsInput(c *config, name, v string) error {
	allowed, err := accounts.Parse(v)
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	c.aws.allowed = allowed
	return nil
}

// baseNameInput stores a plain file name, empty or without a slash,
// backslash or unsafe character: a name at the root of an artifact.
func baseNameInput(field func(*config) *string) func(*config, string, string) error {
	return func(c *config, name, v string) error {
		if v == "." || v == ".." || strings.ContainsAny(v, `/\`) || escape.Unsafe(v) >= 0 {
			return fmt.Errorf("input %s must be a plain file name, without a slash, such as %s, got %s", name, baked.DefaultName, strconv.Quote(v))
		}
		*field(c) = v
		return nil
	}
}
