package testbed

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

// maxNameInPrefix bounds the part of UniquePrefix taken from the test name.
const maxNameInPrefix = 64

var prefixCounter atomic.Int64

// UniquePrefix returns a name prefix no other test in this binary gets, such as
// "/t/TestBake_two_secrets-7". It is valid as an SSM parameter path and, after "alias", as a
// KMS alias name, so tests sharing one emulator never see each other's parameters or keys.
func UniquePrefix(t testing.TB) string {
	name := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		default:
			return '_'
		}
	}, t.Name())
	if len(name) > maxNameInPrefix {
		name = name[:maxNameInPrefix]
	}
	return fmt.Sprintf("/t/%s-%d", name, prefixCounter.Add(1))
}

// maxRoleName is IAM's limit on the length of a role or policy name.
const maxRoleName = 64

// UniqueRoleName returns a name for an IAM role or policy that no other test in this binary gets,
// such as "TestBake_two_secrets-8", at most 64 characters long.
func UniqueRoleName(t testing.TB) string {
	name := strings.TrimPrefix(UniquePrefix(t), "/t/")
	if over := len(name) - maxRoleName; over > 0 {
		cut := strings.LastIndex(name, "-")
		name = name[:cut-over] + name[cut:]
	}
	return name
}
