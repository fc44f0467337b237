package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// specPath is where the binary looks for its spec by default, relative to its workspace.
const specPath = ".github/secret-baker.yml"

// valueRegex is the rule every benchmark secret declares; both back ends' plaintexts match it.
const valueRegex = `^value-[0-9]+$`

// parameterName is the SSM parameter of the i-th benchmark secret.
func parameterName(i int) string {
	return fmt.Sprintf("/bench/secret-%04d", i)
}

// newWorkspace creates a workspace whose spec declares n secrets, each with a regex rule, all
// required to be encrypted with the benchmark key.
func newWorkspace(n int) (string, error) {
	dir, err := os.MkdirTemp("", "secret-baker-bench-")
	if err != nil {
		return "", err
	}
	var spec strings.Builder
	fmt.Fprintf(&spec, "kms-key-id: %s\nsecrets:\n", keyAlias)
	for i := range n {
		fmt.Fprintf(&spec, "  SECRET_%04d:\n    path: %s\n    regex: '%s'\n", i, parameterName(i), valueRegex)
	}
	path := filepath.Join(dir, specPath)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(path, []byte(spec.String()), 0o644); err != nil {
		return "", err
	}
	return dir, nil
}
