package testbed

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
)

var shared struct {
	once sync.Once
	emu  *Emulator
	err  error
}

// Shared returns the emulator of this test binary, starting it on first use; Main stops it.
// When it cannot start the test fails if CI is "true", and is skipped otherwise.
func Shared(t testing.TB) *Emulator {
	t.Helper()
	shared.once.Do(func() {
		shared.emu, shared.err = Start(context.Background())
	})
	if shared.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("moto emulator required on CI: %v", shared.err)
		}
		t.Skipf("moto emulator not available: %v", shared.err)
	}
	return shared.emu
}

// Main is the body of a TestMain for packages that use Shared: it runs the tests, stops the
// shared emulator and exits with the tests' code.
func Main(m *testing.M) {
	code := m.Run()
	if shared.emu != nil {
		if err := shared.emu.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "testbed: %v\n", err)
			if code == 0 {
				code = 1
			}
		}
	}
	os.Exit(code)
}
