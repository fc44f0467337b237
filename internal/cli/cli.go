// Package cli is the secret-baker program: it reads the inputs through one
// declarative table into a config, loads the spec, runs one command (one
// file each: bake.go, verify.go, drift.go) with the few settings it needs,
// and hands the command's outcome to the reporter (internal/report), which
// renders it once.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/org/secret-baker/internal/ghcreds"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/spec"
)

// Main runs one command with the given arguments and environment, reports
// its outcome, or every problem it found, once, and returns the exit code:
// 0 on success and for --help, 2 for an invalid input, 1 for any other
// failure.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	return exitCode(runMain(ctx, args, getenv, stdout, stderr))
}

func exitCode(err error) int {
	var invalid *report.InvalidInput
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &invalid):
		return 2
	default:
		return 1
	}
}

// runMain is Main before the exit code.
func runMain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	h := readHost(getenv)
	cfg, err := parseConfig(h, args, getenv, stderr)
	if errors.Is(err, errHelp) {
		return err
	}
	rep := report.New(report.Options{GitHubActions: h.githubAction, Workspace: h.workspace, Getenv: getenv, Stdout: stdout, Stderr: stderr})
	var out report.Outcome
	switch {
	case err != nil:
		err = &report.InvalidInput{Err: err}
		_ = rep.Open() // for the summary, if the runner's files open
	default:
		if err = rep.Open(); err == nil {
			out, err = run(ctx, cfg, rep, idTokens(getenv))
		}
	}
	return rep.Report(out, err)
}

// run carries out cfg's command within its timeout.
func run(ctx context.Context, cfg *config, ui presenter, token ghcreds.TokenFunc) (report.Outcome, error) {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	ws, err := outfile.OpenWorkspace(cfg.workspace)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	sp, err := cfg.spec.load(ws)
	if err != nil {
		return nil, err
	}
	cmd, _ := lookupCommand(cfg.command)
	out, err := cmd.settings(cfg).run(ctx, &runContext{ws: ws, sp: sp, ui: ui, aws: cfg.aws, token: token})
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		err = fmt.Errorf("timed out after %s (the timeout input): %w", cfg.timeout, err)
	}
	return out, err
}

// specSource is where the spec comes from: the inline secrets input, or
// the spec file inside the workspace.
type specSource struct {
	workspace string
	file      string // the config input
	fileSet   bool   // the config input was given, not defaulted
	inline    string // the secrets input
}

// load reads the secrets from the inline secrets input or the spec file,
// which must be inside the workspace: it is read through it, and so becomes
// an input of the run that the output may not replace.
func (src specSource) load(ws *outfile.Workspace) (*spec.Spec, error) {
	opts := spec.Options{Root: src.workspace, Workspace: ws}
	if src.inline != "" {
		secrets, err := spec.ParseSecrets(report.InlineSecrets, []byte(src.inline), opts)
		if err != nil {
			return nil, err
		}
		return &spec.Spec{Secrets: secrets}, nil
	}
	data, err := ws.ReadFile(src.file)
	if errors.Is(err, fs.ErrNotExist) && !src.fileSet {
		return nil, fmt.Errorf("no spec at the default %s: create it, or give the config or secrets input", src.file)
	}
	if err != nil {
		return nil, pathInputError("config", err, "failed to read spec")
	}
	rel, _ := ws.Rel(src.file)
	return spec.Parse(filepath.Join(src.workspace, rel), data, opts)
}

// pathInputError makes a refusal of the path input name an invalid input,
// and wraps any other error with what failed.
func pathInputError(name string, err error, what string) error {
	if errors.Is(err, outfile.ErrOutsideWorkspace) || errors.Is(err, outfile.ErrUnsafeName) {
		return &report.InvalidInput{Err: fmt.Errorf("input %s: %w", name, err)}
	}
	return fmt.Errorf("%s: %w", what, err)
}
