// Command secret-baker bakes SSM SecureString ciphertext into a file that
// ships with an AWS Lambda function, and verifies every secret with KMS before
// deploy. It runs as a GitHub Action (a container step) or as a CLI.
//
// Package main only wires and presents: inputs.go reads the inputs through
// one declarative table into a config, run.go wires the AWS clients to the
// spec, bake and verify packages and returns an outcome, and the reporter
// (report.go, summary.go, outputs.go, progress.go) renders that outcome once,
// escaping every user-controlled string for its sink.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := realMain(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}

// exitCode maps realMain's result to the process exit code: 0 on success and
// for --help, 2 for a usage error, 1 for any other failure.
func exitCode(err error) int {
	var usage *usageError
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.As(err, &usage):
		return 2
	default:
		return 1
	}
}

// realMain runs one command with the given arguments and environment, and
// reports its outcome, or every problem it found, once before returning.
func realMain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	h := readHost(getenv)
	cfg, err := parseConfig(h, args, getenv, stderr)
	if errors.Is(err, errHelp) {
		return err
	}
	rep := newReporter(h, getenv, stdout, stderr)
	var out outcome
	switch {
	case err != nil:
		err = &usageError{err}
		_ = rep.openSinks() // for the summary, if the runner's files open
	default:
		if err = rep.openSinks(); err == nil {
			out, err = run(ctx, cfg, rep)
		}
	}
	return rep.report(out, err)
}

// usageError is a problem with the inputs themselves.
type usageError struct{ err error }

func (e *usageError) Error() string { return fmt.Sprintf("invalid input: %v", e.err) }
func (e *usageError) Unwrap() error { return e.err }
