// Command secret-baker-exec is a Lambda exec wrapper: at the function's
// initialization it decrypts the baked file, sets one environment variable per
// secret and replaces itself with the runtime's command line, unchanged. Any
// runtime then reads the secrets as environment variables, with no code
// change. It links the baked-file reader and the KMS client, nothing else of
// the AWS SDK.
//
// Lambda runs it through AWS_LAMBDA_EXEC_WRAPPER (a script that runs
// `secret-baker-exec "$@"`), or a custom runtime's bootstrap runs it with the
// runtime's command line as its arguments. On any failure it exits non-zero
// before starting the runtime, with a message that names the secret and never
// holds its value, so Lambda reports an initialization error instead of
// running the handler without its secrets: 2 for its input (command line,
// settings, baked file, names), 1 for KMS or a secret's value.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
)

func main() {
	path, argv, env, err := prepare(context.Background(), os.Args[1:], os.Environ())
	if err == nil {
		err = syscall.Exec(path, argv, env)
		err = fmt.Errorf("failed to start %s: %w", argv[0], err)
	}
	fmt.Fprintf(os.Stderr, "secret-baker-exec: %v\n", err)
	if errors.As(err, new(invalidInput)) {
		os.Exit(2)
	}
	os.Exit(1)
}
