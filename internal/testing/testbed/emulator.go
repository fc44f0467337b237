package testbed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"github.com/org/secret-baker/internal/testing/emulator"
	"io"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrUnavailable reports that the emulator cannot run here: python3 or moto 5.2.1 is missing.
var ErrUnavailable = errors.New("moto emulator unavailable")

const (
	// startTimeout bounds Start when its context has no deadline.
	startTimeout = 60 * time.Second
	// stopTimeout is how long Close waits for the script to exit on stdin EOF before killing it.
	stopTimeout = 10 * time.Second
	// exitUnavailable is the script's exit code for a missing or wrong moto.
	exitUnavailable = 3
	// stderrTail is how much of the script's stderr is kept for error messages.
	stderrTail = 4 << 10
)

// Emulator is a running moto server made to behave like AWS for SSM, KMS and STS.
type Emulator struct {
	// URL is the server's base URL, http://127.0.0.1:<port>.
	URL string

	cmd       *exec.Cmd
	stdin     io.Closer
	stderr    *tailBuffer
	exited    chan struct{} // closed once the process has been waited for
	waitErr   error         // set before exited is closed
	closeOnce sync.Once
	closeErr  error
}

// Start runs moto_aws.py with python3 and returns once the server listens. The process lives
// until Close, or until this process dies (the script exits when its stdin closes). The wait for
// the server is bounded by ctx, or by one minute when ctx has no deadline.
func Start(ctx context.Context) (*Emulator, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, fmt.Errorf("failed to find python3: %w: %w", ErrUnavailable, err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, startTimeout)
		defer cancel()
	}

	cmd := exec.Command(python, "-c", emulator.Script)
	// Its own process group, so that Close can end the script and anything it spawned.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("failed to create emulator stdin: %w", err)
	}
	ready := make(chan int, 1)
	cmd.Stdout = &readyWriter{ready: ready}
	e := &Emulator{cmd: cmd, stdin: stdin, stderr: &tailBuffer{max: stderrTail}, exited: make(chan struct{})}
	cmd.Stderr = e.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("failed to start python3: %w", err)
	}
	go func() {
		e.waitErr = cmd.Wait()
		close(e.exited)
	}()

	select {
	case port := <-ready:
		e.URL = "http://127.0.0.1:" + strconv.Itoa(port)
		return e, nil
	case <-e.exited:
		err := fmt.Errorf("failed to start moto: %s before READY: %s", cmd.ProcessState, e.stderr)
		if cmd.ProcessState.ExitCode() == exitUnavailable {
			err = fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
		return nil, err
	case <-ctx.Done():
		e.kill()
		return nil, fmt.Errorf("failed to start moto: %w: %s", ctx.Err(), e.stderr)
	}
}

// Close closes the script's stdin, on which it exits, and waits for it; should it still run after
// ten seconds, Close kills its process group. It is safe to call more than once.
func (e *Emulator) Close() error {
	e.closeOnce.Do(func() {
		e.stdin.Close() // the script exits at EOF
		select {
		case <-e.exited:
			e.closeErr = e.waitErr
		case <-time.After(stopTimeout):
			e.kill()
			e.closeErr = fmt.Errorf("failed to stop moto in %v, killed it: %w", stopTimeout, e.waitErr)
		}
	})
	return e.closeErr
}

// kill ends the process group this emulator started and waits for its leader.
func (e *Emulator) kill() {
	_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
	<-e.exited
}

// readyWriter receives the script's stdout and sends the port of its "READY <port>" line.
type readyWriter struct {
	pending []byte
	sent    bool
	ready   chan<- int
}

func (w *readyWriter) Write(p []byte) (int, error) {
	if w.sent {
		return len(p), nil
	}
	w.pending = append(w.pending, p...)
	for {
		line, rest, ok := bytes.Cut(w.pending, []byte("\n"))
		if !ok {
			return len(p), nil
		}
		w.pending = rest
		port, isReady := strings.CutPrefix(string(line), "READY ")
		if n, err := strconv.Atoi(port); isReady && err == nil {
			w.sent, w.pending = true, nil
			w.ready <- n
			return len(p), nil
		}
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if over := len(b.buf) - b.max; over > 0 {
		b.buf = b.buf[over:]
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.TrimSpace(string(b.buf))
}
