// Package emulator holds moto_aws.py, the AWS emulator that the Go, Python and
// Node.js tests all start: Python moto 5.2.1 patched to behave like AWS where
// secret-baker depends on it. The readers' tests run the file by its path;
// Go's test bed runs the copy embedded here.
package emulator

import _ "embed"

// Script is the source of moto_aws.py.
//
//go:embed moto_aws.py
var Script string
