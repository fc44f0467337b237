package cli

import (
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/org/secret-baker/internal/ghcreds"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/spec"
)

// The commands' names.
const (
	commandBake       = "bake"
	commandVerify     = "verify"
	commandDrift      = "drift"
	commandCheckRoles = "check-roles"
)

// command is one thing a run can do. Its file defines its settings, taken
// from the config, and how it runs.
type command struct {
	name     string
	synopsis string // its arguments, for --help
	summary  string // what it does, for --help
	settings func(*config) runner
}

// runner runs one command with the settings it took from the config.
type runner interface {
	run(ctx context.Context, run *runContext) (report.Outcome, error)
}

// runContext is what every command works with: the workspace, the spec,
// the presenter and the way to AWS.
type runContext struct {
	ws    *outfile.Workspace
	sp    *spec.Spec
	ui    presenter
	aws   awsSettings
	token ghcreds.TokenFunc // the job's OIDC token
}

// awsConfig returns the run's AWS configuration (awsSettings.config).
func (rc *runContext) awsConfig(ctx context.Context) (aws.Config, error) {
	return rc.aws.config(ctx, rc.token, rc.ui.Mask)
}

// presenter is what a command may ask of the reporter while it runs.
type presenter interface {
	Group(title string)
	EndGroup()
	Progress(what string) func(done, total int)
	Mask(value string)
}

func lookupCommand(name string) (command, bool) {
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return command{}, false
	}
	return commands[i], true
}

// commandNames lists the commands as "a, b or c".
func commandNames() string {
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	return joinOr(names, "or")
}
