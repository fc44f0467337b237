// Command secret-baker bakes SSM SecureString ciphertext into a file that
// ships with an AWS Lambda function, and verifies every secret with KMS before
// deploy. It runs as a GitHub Action (a container step) or as a CLI. The
// program lives in internal/cli; this file only gives it the process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/org/secret-baker/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
