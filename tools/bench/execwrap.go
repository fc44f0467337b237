package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/org/secret-baker/internal/testing/testbed"
)

//go:embed execwrap.md.tmpl
var execWrapTemplate string

// Flags of the exec wrapper's measurement.
var (
	execWrapOn    = flag.Bool("exec-wrapper", true, "also measure the exec wrapper, cmd/secret-baker-exec, at a cold start")
	execWrapSizes = flag.String("exec-wrapper-sizes", "1,10,50,200", "numbers of secrets the exec wrapper decrypts, comma separated, ascending")
	execWrapRuns  = flag.Int("exec-wrapper-runs", 10, "runs per size; the report gives the median")
)

// execWrapPoint is the medians of the exec wrapper on one baked file.
type execWrapPoint struct {
	N        int
	Chunks   int           // of the file's bundle; 0 without one
	Added    time.Duration // over true alone: exec to the runtime's exec
	Floor    time.Duration // ⌈Decrypt/concurrency⌉ round trips
	Decrypt  int           // kms:Decrypt calls of every run
	Min, Max time.Duration // of Added
}

// execWrapSection is what execwrap.md.tmpl renders.
type execWrapSection struct {
	Delay       time.Duration
	Runs        int
	Concurrency int
	Baseline    time.Duration // true alone
	Points      []execWrapPoint
}

// measureExecWrapper times the exec wrapper in front of true, a runtime that
// exits at once, against the latency-only endpoint, and returns the report's
// section; "" when -exec-wrapper=false. The time from the wrapper's exec to
// the runtime's is its wall time less that of true alone.
func measureExecWrapper(ctx context.Context, delay time.Duration) (string, error) {
	if !*execWrapOn {
		return "", nil
	}
	sizes, err := parseSizes(*execWrapSizes)
	if err == nil && *execWrapRuns < 1 {
		err = fmt.Errorf("-exec-wrapper-runs must be at least 1")
	}
	if err != nil {
		return "", err
	}
	fmt.Printf("==> exec wrapper at a cold start, latency-only endpoint (%v per call)\n", delay)
	tmp, err := os.MkdirTemp("", "secret-baker-exec-bench-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	wrapper := filepath.Join(tmp, "secret-baker-exec")
	if out, err := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", wrapper, "./cmd/secret-baker-exec").CombinedOutput(); err != nil {
		return "", fmt.Errorf("failed to build the exec wrapper: %w\n%s", err, out)
	}
	runtime, err := exec.LookPath("true")
	if err != nil {
		return "", err
	}
	sec := execWrapSection{Delay: delay, Runs: *execWrapRuns, Concurrency: readerConcurrency}
	baseline := make([]time.Duration, *execWrapRuns)
	for i := range baseline {
		if baseline[i], err = timeRun(exec.CommandContext(ctx, runtime)); err != nil {
			return "", err
		}
	}
	sec.Baseline = summarize(baseline).Median
	for _, bundle := range []bool{false, true} {
		for _, n := range sizes {
			p, err := measureExecWrapperAt(ctx, wrapper, runtime, n, bundle, delay, sec.Baseline)
			if err != nil {
				return "", fmt.Errorf("exec wrapper, N=%d, bundle %t: %w", n, bundle, err)
			}
			fmt.Printf("    N=%-3d chunks %-2d exec to the runtime's exec %v\n", n, p.Chunks, ms(p.Added))
			sec.Points = append(sec.Points, p)
		}
	}
	tmpl, err := template.New("execwrap").Funcs(template.FuncMap{"ms": ms}).Parse(execWrapTemplate)
	if err != nil {
		return "", fmt.Errorf("failed to parse the exec wrapper template: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, sec); err != nil {
		return "", fmt.Errorf("failed to render the exec wrapper section: %w", err)
	}
	return buf.String(), nil
}

// measureExecWrapperAt runs the wrapper in front of runtime on a baked file of
// n secrets, with a bundle or without, each run against a fresh latency
// server, and checks that each made exactly one kms:Decrypt per chunk, or per
// secret without a bundle.
func measureExecWrapperAt(ctx context.Context, wrapper, runtime string, n int, bundle bool, delay, baseline time.Duration) (execWrapPoint, error) {
	taskRoot, _, chunks, err := latencyBakedFile(ctx, n, delay, bundle)
	if err != nil {
		return execWrapPoint{}, err
	}
	defer os.RemoveAll(taskRoot)
	calls := n
	if bundle {
		calls = chunks
	}
	want := map[string]int{"kms:Decrypt": calls}
	walls := make([]time.Duration, *execWrapRuns)
	for i := range walls {
		if walls[i], err = runExecWrapper(ctx, wrapper, runtime, taskRoot, delay, want); err != nil {
			return execWrapPoint{}, err
		}
	}
	wall := summarize(walls)
	return execWrapPoint{
		N: n, Chunks: chunks, Added: wall.Median - baseline, Min: wall.Min - baseline, Max: wall.Max - baseline,
		Floor: time.Duration(ceilDiv(calls, readerConcurrency)) * delay, Decrypt: calls,
	}, nil
}

// runExecWrapper runs the wrapper once against a fresh latency server and
// returns its wall time.
func runExecWrapper(ctx context.Context, wrapper, runtime, taskRoot string, delay time.Duration, want map[string]int) (time.Duration, error) {
	lat, err := testbed.NewLatency(region, delay)
	if err != nil {
		return 0, err
	}
	defer lat.Close()
	cmd := exec.CommandContext(ctx, wrapper, runtime)
	cmd.Env = append(slices.DeleteFunc(lat.Env(), func(kv string) bool { return strings.HasSuffix(kv, "=") }),
		"LAMBDA_TASK_ROOT="+taskRoot,
		"PATH="+os.Getenv("PATH"))
	wall, err := timeRun(cmd)
	if err != nil {
		return 0, err
	}
	if got := lat.CallsTotal(); !maps.Equal(got, want) {
		return 0, fmt.Errorf("made %s, want %s", formatCalls(got), formatCalls(want))
	}
	return wall, nil
}

// timeRun runs cmd and returns its wall time.
func timeRun(cmd *exec.Cmd) (time.Duration, error) {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, fmt.Errorf("%v: %w\n%s", cmd.Args, err, stderr.Bytes()[max(stderr.Len()-stderrTail, 0):])
	}
	return wall, nil
}
