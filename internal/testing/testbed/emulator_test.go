package testbed

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestStartCloseLeavesNoProcess(t *testing.T) {
	t.Parallel()
	e, err := Start(context.Background())
	if errors.Is(err, ErrUnavailable) && os.Getenv("CI") != "true" {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	pid := e.cmd.Process.Pid
	resp, err := http.Get(e.URL + "/moto-api/")
	if err != nil {
		t.Fatalf("emulator not serving: %v", err)
	}
	resp.Body.Close()

	if err := e.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close() = %v", err)
	}
	if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("signal 0 to emulator pid %d after Close: got %v, want ESRCH", pid, err)
	}
}

// TestStartFailure runs Start with fake python3 executables on PATH.
func TestStartFailure(t *testing.T) {
	tests := []struct {
		name            string
		python3         string // script installed as python3; "" for none
		wantUnavailable bool
	}{
		{name: "no python3", wantUnavailable: true},
		{name: "moto missing", python3: "#!/bin/sh\necho 'moto is not importable' >&2\nexit 3\n", wantUnavailable: true},
		{name: "script crashes", python3: "#!/bin/sh\necho 'Traceback' >&2\nexit 1\n"},
		{name: "exits without READY", python3: "#!/bin/sh\necho 'hello'\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.python3 != "" {
				if err := os.WriteFile(filepath.Join(dir, "python3"), []byte(tt.python3), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			t.Setenv("PATH", dir)

			e, err := Start(context.Background())
			if err == nil {
				e.Close()
				t.Fatal("Start() succeeded, want error")
			}
			if got := errors.Is(err, ErrUnavailable); got != tt.wantUnavailable {
				t.Errorf("errors.Is(%v, ErrUnavailable) = %v, want %v", err, got, tt.wantUnavailable)
			}
		})
	}
}

func TestStartCanceled(t *testing.T) {
	dir := t.TempDir()
	// A python3 that never gets ready.
	if err := os.WriteFile(filepath.Join(dir, "python3"), []byte("#!/bin/sh\nexec cat >/dev/null\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()

	_, err := Start(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Start(canceled ctx) = %v, want context.Canceled", err)
	}
}
