package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/org/secret-baker/baked"
)

// stderrTail is how much of a failed run's stderr an error quotes.
const stderrTail = 2 << 10

// bench runs the binary.
type bench struct {
	binary string
	opts   options
}

// sample is what one run of the binary showed.
type sample struct {
	wall    time.Duration
	rssKiB  int64
	toFirst time.Duration // process start to first AWS request; 0 when not recorded
	calls   map[string]int
}

// run runs the binary once in dir against a fresh endpoint of be and checks that it baked n
// secrets.
func (b *bench) run(ctx context.Context, be backend, dir string, n int) (sample, error) {
	ep, err := be.open()
	if err != nil {
		return sample{}, err
	}
	defer ep.close()
	return b.runOn(ctx, ep, be.name, dir, n)
}

// runOn runs the binary once in dir, with args after the concurrency flags, against ep, which
// may be shared with other runs, and checks that it baked n secrets.
func (b *bench) runOn(ctx context.Context, ep endpoint, name, dir string, n int, args ...string) (sample, error) {
	out := filepath.Join(dir, baked.DefaultName)
	if err := os.Remove(out); err != nil && !os.IsNotExist(err) {
		return sample{}, err
	}

	cmd := exec.CommandContext(ctx, b.binary, append([]string{
		"--ssm-concurrency", strconv.Itoa(b.opts.ssmConc),
		"--kms-concurrency", strconv.Itoa(b.opts.kmsConc)}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(ep.env, "PATH="+os.Getenv("PATH"))
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, fmt.Errorf("failed to start %s: %w", b.binary, err)
	}
	err := cmd.Wait()
	s := sample{wall: time.Since(start), rssKiB: maxRSSKiB(cmd.ProcessState), calls: ep.calls()}
	if err != nil {
		tail := stderr.Bytes()[max(stderr.Len()-stderrTail, 0):]
		return s, fmt.Errorf("%s back end, N=%d: secret-baker failed: %w\n%s", name, n, err, tail)
	}
	if ep.first != nil {
		if first := ep.first(); !first.IsZero() {
			s.toFirst = first.Sub(start)
		}
	}

	data, err := os.ReadFile(out)
	if err != nil {
		return s, fmt.Errorf("%s back end, N=%d: no baked file: %w", name, n, err)
	}
	file, err := baked.Parse(data)
	if err != nil {
		return s, fmt.Errorf("%s back end, N=%d: %w", name, n, err)
	}
	if len(file) != n {
		return s, fmt.Errorf("%s back end: baked %d secrets, want %d", name, len(file), n)
	}
	return s, nil
}

// point runs the binary opts.runs times on n secrets against be.
func (b *bench) point(ctx context.Context, be backend, n int) (point, error) {
	dir, err := newWorkspace(n)
	if err != nil {
		return point{}, err
	}
	defer os.RemoveAll(dir)
	samples := make([]sample, b.opts.runs)
	for i := range samples {
		if samples[i], err = b.run(ctx, be, dir, n); err != nil {
			return point{}, err
		}
	}
	p := newPoint(n, samples, b.opts)
	fmt.Printf("    N=%-5d median %-9v peak RSS %4.1f MiB  %s\n", n, ms(p.Wall), p.RSSMiB, formatCalls(p.Calls))
	return p, nil
}

// startToFirst returns the median time from process start to the first AWS request over
// opts.startRuns runs on n secrets.
func (b *bench) startToFirst(ctx context.Context, be backend, n int) (summary, error) {
	dir, err := newWorkspace(n)
	if err != nil {
		return summary{}, err
	}
	defer os.RemoveAll(dir)
	times := make([]time.Duration, b.opts.startRuns)
	for i := range times {
		s, err := b.run(ctx, be, dir, n)
		if err != nil {
			return summary{}, err
		}
		if s.toFirst == 0 {
			return summary{}, fmt.Errorf("the %s back end saw no request", be.name)
		}
		times[i] = s.toFirst
	}
	return summarize(times), nil
}

// help returns the median wall time of --help over opts.helpRuns runs.
func (b *bench) help(ctx context.Context) (summary, error) {
	times := make([]time.Duration, b.opts.helpRuns)
	for i := range times {
		cmd := exec.CommandContext(ctx, b.binary, "--help")
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return summary{}, fmt.Errorf("secret-baker --help failed: %w", err)
		}
		times[i] = time.Since(start)
	}
	return summarize(times), nil
}

// maxRSSKiB returns the peak resident set size of an exited process in KiB.
func maxRSSKiB(ps *os.ProcessState) int64 {
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" { // bytes there, KiB on Linux
		return ru.Maxrss / 1024
	}
	return ru.Maxrss
}
