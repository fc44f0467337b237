// Command secret-baker bakes SSM SecureString ciphertext into a file that
// ships with an AWS Lambda function, and verifies every secret with KMS before
// deploy. It runs as a GitHub Action (a container step) or as a CLI.
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

// realMain runs one command with the given arguments and environment and
// reports every problem it finds before returning.
func realMain(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, errHelp) {
			return err
		}
		err = &usageError{err}
		newReporter(getenv("GITHUB_ACTIONS") == "true", getenv, stdout, stderr).fail(err)
		return err
	}
	rep := newReporter(cfg.githubAction, getenv, stdout, stderr)
	if err := run(ctx, cfg, rep); err != nil {
		rep.fail(err)
		return err
	}
	return nil
}

// usageError is a problem with the inputs themselves.
type usageError struct{ err error }

func (e *usageError) Error() string { return fmt.Sprintf("invalid input: %v", e.err) }
func (e *usageError) Unwrap() error { return e.err }
