package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// childVar, when set, makes the test binary a stand-in runtime: it prints its
// process ID, its arguments, and a SHA-256 digest of each variable childVar
// names (comma separated), never a value.
const childVar = "SECRET_BAKER_EXEC_TEST_CHILD"

func TestMain(m *testing.M) {
	if names, ok := os.LookupEnv(childVar); ok {
		fmt.Print(childReport(os.Getpid(), os.Args[1:], strings.Split(names, ","), os.LookupEnv))
		os.Exit(0)
	}
	testbed.Main(m)
}

// childReport is what the stand-in runtime prints, given how it looks a
// variable up.
func childReport(pid int, args, names []string, lookup func(string) (string, bool)) string {
	var b strings.Builder
	fmt.Fprintf(&b, "pid %d\n", pid)
	for _, a := range args {
		fmt.Fprintf(&b, "arg %q\n", a)
	}
	for _, n := range names {
		if v, ok := lookup(n); ok {
			fmt.Fprintf(&b, "var %s %x\n", n, sha256.Sum256([]byte(v)))
		} else {
			fmt.Fprintf(&b, "var %s unset\n", n)
		}
	}
	return b.String()
}
