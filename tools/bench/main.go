// Command bench measures secret-baker and writes BENCHMARKS.md: the API calls a bake and verify
// make against the moto emulator, wall time against an endpoint that only adds latency, set
// against the least time the concurrency settings allow, peak memory, binary size and start-up
// time. It is what `make bench` runs; the file it writes is never edited by hand.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// options are the harness's flags.
type options struct {
	binary    string
	out       string
	runs      int
	sizes     []int
	delay     time.Duration
	ssmConc   int
	kmsConc   int
	helpRuns  int
	startRuns int
	moto      bool
	// The quota scenarios (quota.go): whether to run them, the latency of each call there, and
	// where the serverless-secret-baker comparison lives ("" to skip it).
	quota      bool
	quotaDelay time.Duration
	peerDir    string
}

func main() {
	var (
		o     options
		sizes string
	)
	flag.StringVar(&o.binary, "binary", "bin/secret-baker", "secret-baker binary to measure (built by make build)")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "report to write")
	flag.IntVar(&o.runs, "runs", 3, "runs per point; the report gives the median")
	flag.StringVar(&sizes, "sizes", "10,100,1000", "numbers of secrets, comma separated, ascending")
	flag.DurationVar(&o.delay, "delay", testbed.DefaultLatency, "latency of every call to the latency-only endpoint")
	flag.IntVar(&o.ssmConc, "ssm-concurrency", 4, "--ssm-concurrency passed to the binary")
	flag.IntVar(&o.kmsConc, "kms-concurrency", 16, "--kms-concurrency passed to the binary")
	flag.IntVar(&o.helpRuns, "help-runs", 20, "runs of --help")
	flag.IntVar(&o.startRuns, "start-runs", 10, "runs measuring process start to first AWS request")
	flag.BoolVar(&o.moto, "moto", true, "also measure against the moto emulator (needs python3 with moto 5.2.1)")
	flag.BoolVar(&o.quota, "quota", true, "also measure under AWS-like request rate quotas")
	flag.DurationVar(&o.quotaDelay, "quota-delay", 15*time.Millisecond, "latency of every call in the quota scenarios")
	flag.StringVar(&o.peerDir, "peer", "tools/bench/peer", "directory of the serverless-secret-baker comparison (\"\" to skip it)")
	flag.Parse()
	var err error
	if o.sizes, err = parseSizes(sizes); err == nil && o.runs < 1 {
		err = fmt.Errorf("-runs must be at least 1")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := measure(ctx, o)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
	if err := writeReport(o.out, rep); err != nil {
		fmt.Fprintf(os.Stderr, "bench: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("==> wrote %s\n", o.out)
	failed := 0
	for _, t := range rep.Targets {
		fmt.Printf("    %-4s %s: %s\n", t.Result, t.Name, t.Measured)
		if t.Result == resultFail {
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d target(s) missed\n", failed)
		os.Exit(1)
	}
}

// measure takes every measurement of the report.
func measure(ctx context.Context, o options) (*report, error) {
	binary, err := filepath.Abs(o.binary)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(binary)
	if err != nil {
		return nil, fmt.Errorf("failed to find the binary (run make build): %w", err)
	}
	rep := newReport(o, info.Size())
	b := &bench{binary: binary, opts: o}

	fmt.Printf("==> --help, %d runs\n", o.helpRuns)
	if rep.Help, err = b.help(ctx); err != nil {
		return nil, err
	}

	fmt.Printf("==> latency-only endpoint (%v per call)\n", o.delay)
	lat := latencyBackend(o.delay)
	for _, n := range o.sizes {
		p, err := b.point(ctx, lat, n)
		if err != nil {
			return nil, err
		}
		rep.Latency = append(rep.Latency, p)
	}
	fmt.Printf("==> process start to first AWS request, %d runs of N=%d\n", o.startRuns, o.sizes[0])
	if rep.StartToFirst, err = b.startToFirst(ctx, lat, o.sizes[0]); err != nil {
		return nil, err
	}
	if rep.Readers, rep.ReaderTargets, err = measureReaders(ctx, o.delay); err != nil {
		return nil, err
	}
	if rep.ExecWrapper, err = measureExecWrapper(ctx, o.delay); err != nil {
		return nil, err
	}
	if rep.Roles, err = b.measureRoles(ctx); err != nil {
		return nil, err
	}

	if o.moto {
		fmt.Println("==> moto emulator")
		moto, err := startMoto(ctx, o.sizes[len(o.sizes)-1])
		if err != nil {
			return nil, err
		}
		defer moto.close()
		rep.MotoSeeded = o.sizes[len(o.sizes)-1]
		for _, n := range o.sizes {
			p, err := b.point(ctx, moto.backend, n)
			if err != nil {
				return nil, err
			}
			rep.Moto = append(rep.Moto, p)
		}
	}
	if o.quota {
		fmt.Printf("==> under AWS-like quotas (%v per call)\n", o.quotaDelay)
		if rep.Quota, err = b.measureQuota(ctx); err != nil {
			return nil, err
		}
	}
	rep.evaluate()
	return rep, nil
}

func parseSizes(s string) ([]int, error) {
	var sizes []int
	for f := range strings.SplitSeq(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || (len(sizes) > 0 && n <= sizes[len(sizes)-1]) {
			return nil, fmt.Errorf("-sizes must be ascending whole numbers, got %q", s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}
