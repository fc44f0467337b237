package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
)

// invalidInput marks a failure of the wrapper's input, before any AWS call:
// its command line, its settings, the baked file or a secret's name. It
// exits 2; a failure of KMS or of a secret's value exits 1.
type invalidInput struct{ error }

func (e invalidInput) Unwrap() error { return e.error }

// prepare returns what to exec: the path of the runtime's program, its
// command line args unchanged, and environ with one variable per secret of
// the baked file. It checks every name before any KMS call, and decrypts all
// secrets at once.
func prepare(ctx context.Context, args, environ []string) (path string, argv, env []string, err error) {
	path, doc, targets, client, err := checkInput(args, environ)
	if err != nil {
		return "", nil, nil, invalidInput{err}
	}
	secrets, err := baked.NewDocument(doc, client) // with a bundle, one call per chunk
	if err != nil {
		return "", nil, nil, invalidInput{fmt.Errorf("failed to open the baked file: %w", err)}
	}
	if err := secrets.DecryptAll(ctx); err != nil {
		return "", nil, nil, err
	}
	env = slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(targets, name)
	})
	for i, name := range slices.Sorted(maps.Keys(doc.Entries)) {
		kv, err := assignment(ctx, secrets, name, targets[i])
		if err != nil {
			return "", nil, nil, err
		}
		env = append(env, kv)
	}
	return path, args, env, nil
}

// checkInput checks everything but KMS and the values: the command line,
// the settings, the baked file and the variable each secret sets, in the
// order of the sorted names, and returns them with the KMS client to use.
func checkInput(args, environ []string) (path string, doc baked.Document, targets []string, client *kms.Client, err error) {
	if len(args) == 0 {
		return "", doc, nil, nil, errors.New("usage: secret-baker-exec COMMAND [ARG]... (the runtime's command line, as AWS_LAMBDA_EXEC_WRAPPER passes it)")
	}
	current := envMap(environ)
	s, err := readSettings(current)
	if err != nil {
		return "", doc, nil, nil, err
	}
	if path, err = exec.LookPath(args[0]); err != nil {
		return "", doc, nil, nil, fmt.Errorf("failed to find the runtime's program: %w", err)
	}
	data, err := os.ReadFile(s.file)
	if err != nil {
		return "", doc, nil, nil, fmt.Errorf("failed to read the baked file: %w", err)
	}
	if doc, err = baked.ParseFile(data); err != nil {
		return "", doc, nil, nil, fmt.Errorf("failed to parse %s: %w", s.file, err)
	}
	if targets, err = variables(slices.Sorted(maps.Keys(doc.Entries)), s, current); err != nil {
		return "", doc, nil, nil, err
	}
	if client, err = newKMSClient(current); err != nil {
		return "", doc, nil, nil, err
	}
	return path, doc, targets, client, nil
}

// assignment returns "VARIABLE=value" for the secret name, and clears the
// copy of the plaintext it made. The value must be UTF-8 text, as every
// reader requires, without a NUL byte, which no environment variable holds.
func assignment(ctx context.Context, secrets *baked.Secrets, name, variable string) (string, error) {
	p, err := secrets.Bytes(ctx, name)
	defer clear(p)
	switch {
	case err != nil:
		return "", err
	case !utf8.Valid(p):
		return "", fmt.Errorf("%w: secret %q", baked.ErrNotUTF8, name)
	case bytes.IndexByte(p, 0) >= 0:
		return "", fmt.Errorf("secret %q holds a NUL byte, which no environment variable can hold", name)
	}
	return variable + "=" + string(p), nil
}

// envMap maps each variable of environ to its value, the first one when a
// name appears twice, as getenv does.
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if _, seen := m[name]; !seen {
			m[name] = value
		}
	}
	return m
}
