package testbed_test

import (
	"regexp"
	"testing"

	"github.com/org/secret-baker/internal/testing/testbed"
)

func TestUniquePrefix(t *testing.T) {
	t.Parallel()
	valid := regexp.MustCompile(`^/t/[A-Za-z0-9_-]{1,64}-[0-9]+$`)
	seen := map[string]bool{}
	for _, name := range []string{"plain", "with space/and:colon", "ü and a very long name that goes well past the sixty four characters kept"} {
		t.Run(name, func(t *testing.T) {
			for range 2 {
				got := testbed.UniquePrefix(t)
				if !valid.MatchString(got) {
					t.Errorf("UniquePrefix() = %q, want a match for %s", got, valid)
				}
				if seen[got] {
					t.Errorf("UniquePrefix() = %q twice", got)
				}
				seen[got] = true
			}
		})
	}
}

func TestUniqueRoleName(t *testing.T) {
	t.Parallel()
	valid := regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`) // within IAM's [\w+=,.@-]{1,64}
	seen := map[string]bool{}
	for _, name := range []string{"plain", "a very long name that goes well past the sixty four characters IAM allows"} {
		t.Run(name, func(t *testing.T) {
			for range 2 {
				got := testbed.UniqueRoleName(t)
				if !valid.MatchString(got) {
					t.Errorf("UniqueRoleName() = %q, want a match for %s", got, valid)
				}
				if seen[got] {
					t.Errorf("UniqueRoleName() = %q twice", got)
				}
				seen[got] = true
			}
		})
	}
}
