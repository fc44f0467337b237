package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
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

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
	"github.com/org/secret-baker/seal"
)

//go:embed readers.md.tmpl
var readersTemplate string

// Flags of the reader measurements, beside the harness's own in main.go.
var (
	readersOn   = flag.Bool("readers", true, "also measure the Lambda-side readers (Go, Python, Node.js) at a cold start")
	readerSizes = flag.String("reader-sizes", "1,10,50,200", "numbers of secrets in the baked file the readers open, comma separated, ascending")
	readerRuns  = flag.Int("reader-runs", 9, "runs per reader, size and measurement; the report gives the median")
)

// readerConcurrency is how many Decrypt calls every reader's decrypt-all makes at once, at most.
const readerConcurrency = baked.DecryptConcurrency

// maxDecryptAllRoundTrips is the decrypt-all target, in round trips beyond the reader's
// first-call overhead (with a bundle) or its CPU time (one call per secret): one round trip,
// all calls at once, with half a round trip to spare.
const maxDecryptAllRoundTrips = 1.5

// readerDriver runs one cold start of one reader.
type readerDriver struct {
	Name string
	// command returns the command line that looks name up ("get") or decrypts all ("all").
	command func(mode, name string) []string
	// env is what the driver needs in its environment beyond the endpoint's.
	env []string
}

// readerPoint is the medians of one reader on one baked file.
type readerPoint struct {
	Reader string
	N      int
	// Chunks is the number of the file's bundle chunks; 0 for a file without a bundle, whose
	// reader makes one Decrypt per secret.
	Chunks                 int
	Import, Open, FirstGet time.Duration
	DecryptAll             time.Duration
	DecryptAllMin          time.Duration
	DecryptAllMax          time.Duration
	DecryptAllCPU          time.Duration // the process's user and system time in decrypt-all
	FirstGetMin            time.Duration
	FirstGetMax            time.Duration
	Floor                  time.Duration // of decrypt-all: ⌈calls/concurrency⌉ round trips
	Process                time.Duration // process start to exit, first-get runs
	// Limit is the decrypt-all target: maxDecryptAllRoundTrips round trips plus, with a
	// bundle, the reader's first-call overhead (its first get on the file without a bundle,
	// less one round trip) and, without one, the process's CPU time in decrypt-all.
	Limit  time.Duration
	Result string // of DecryptAll against Limit
}

// readersSection is what readers.md.tmpl renders.
type readersSection struct {
	Versions    string // of the Python and Node.js runtimes
	Delay       time.Duration
	Runs        int
	Concurrency int
	RoundTrips  float64 // maxDecryptAllRoundTrips
	Points      []readerPoint
}

// coldStart is what a driver prints, in milliseconds.
type coldStart struct {
	ImportMS float64 `json:"import_ms"`
	OpenMS   float64 `json:"open_ms"`
	OpMS     float64 `json:"op_ms"`
	OpCPUMS  float64 `json:"op_cpu_ms"`
}

// measureReaders times every reader at a cold start against the latency-only endpoint and
// returns the report's section on them and its targets, one per reader; "" when
// -readers=false.
func measureReaders(ctx context.Context, delay time.Duration) (string, []target, error) {
	if !*readersOn {
		return "", nil, nil
	}
	sizes, err := parseSizes(*readerSizes)
	if err == nil && *readerRuns < 1 {
		err = fmt.Errorf("-reader-runs must be at least 1")
	}
	if err != nil {
		return "", nil, err
	}
	fmt.Printf("==> readers at a cold start, latency-only endpoint (%v per call)\n", delay)
	drivers, cleanup, err := readerDrivers(ctx)
	if err != nil {
		return "", nil, err
	}
	defer cleanup()
	sec := readersSection{Versions: runtimeVersions(ctx), Delay: delay, Runs: *readerRuns, Concurrency: readerConcurrency, RoundTrips: maxDecryptAllRoundTrips}
	var targets []target
	for _, d := range drivers {
		var perSecret, bundled []readerPoint
		for _, n := range sizes {
			p, b, err := measureReader(ctx, d, n, delay)
			if err != nil {
				return "", nil, err
			}
			for _, p := range []readerPoint{p, b} {
				fmt.Printf("    %-7s N=%-3d chunks %-2d first get %-9s decrypt all %-9s (cpu %s) %s\n", d.Name, n, p.Chunks, ms(p.FirstGet), ms(p.DecryptAll), ms(p.DecryptAllCPU), p.Result)
			}
			perSecret, bundled = append(perSecret, p), append(bundled, b)
		}
		sec.Points = append(append(sec.Points, perSecret...), bundled...)
		targets = append(targets,
			decryptAllTarget(d.Name+" reader's decrypt-all with a bundle, one Decrypt per chunk", "the reader's first-call overhead (first get − 1 round trip)", bundled),
			decryptAllTarget(d.Name+" reader's decrypt-all without a bundle, one Decrypt per secret", "its own CPU time (all calls in one wave)", perSecret))
	}
	tmpl, err := template.New("readers").Funcs(template.FuncMap{"ms": ms}).Parse(readersTemplate)
	if err != nil {
		return "", nil, fmt.Errorf("failed to parse the readers template: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, sec); err != nil {
		return "", nil, fmt.Errorf("failed to render the readers section: %w", err)
	}
	return buf.String(), targets, nil
}

// decryptAllTarget is a target of one reader's decrypt-all at every size measured: within
// maxDecryptAllRoundTrips round trips plus beyond.
func decryptAllTarget(name, beyond string, points []readerPoint) target {
	t := target{
		Name:   name + ", latency-only endpoint",
		Limit:  fmt.Sprintf("≤ %.1f round trips + %s", maxDecryptAllRoundTrips, beyond),
		Result: resultPass,
	}
	var parts []string
	for _, p := range points {
		parts = append(parts, fmt.Sprintf("N=%d %s (≤ %s)", p.N, ms(p.DecryptAll), ms(p.Limit)))
		if p.Result == resultFail {
			t.Result = resultFail
		}
	}
	t.Measured = strings.Join(parts, ", ")
	return t
}

// runtimeVersions names the Python and Node.js that run the drivers.
func runtimeVersions(ctx context.Context) string {
	version := func(program string) string {
		out, err := exec.CommandContext(ctx, program, "--version").CombinedOutput()
		if err != nil {
			return program + " (unknown version)"
		}
		return string(bytes.TrimSpace(out))
	}
	return fmt.Sprintf("%s, Node.js %s", version("python3"), version("node"))
}

// readerDrivers builds the Go driver and installs the Node.js reader's dependencies if they are
// missing. It runs from the repository root, as make bench does.
func readerDrivers(ctx context.Context) ([]readerDriver, func(), error) {
	const dir = "tools/bench/coldstart"
	root, err := os.Getwd()
	if err != nil {
		return nil, nil, err
	}
	if _, err := os.Stat(filepath.Join(root, dir, "coldstart.py")); err != nil {
		return nil, nil, fmt.Errorf("run from the repository root (make bench): %w", err)
	}
	tmp, err := os.MkdirTemp("", "secret-baker-coldstart-")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { os.RemoveAll(tmp) }
	goDriver := filepath.Join(tmp, "coldstart")
	nodeReader := filepath.Join(root, "readers", "node")
	steps := [][]string{{"go", "build", "-trimpath", "-o", goDriver, "./" + dir}}
	if _, err := os.Stat(filepath.Join(nodeReader, "node_modules")); err != nil {
		steps = append(steps, []string{"npm", "ci", "--prefix", nodeReader, "--no-audit", "--no-fund"})
	}
	for _, step := range steps {
		if out, err := exec.CommandContext(ctx, step[0], step[1:]...).CombinedOutput(); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("%v failed: %w\n%s", step, err, out)
		}
	}
	// The interpreter itself, not a version manager's shim in front of it, which would add its
	// own start-up to every run.
	python, err := exec.CommandContext(ctx, "python3", "-c", "import sys; print(sys.executable)").Output()
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("failed to find python3: %w", err)
	}
	script := func(name string) string { return filepath.Join(root, dir, name) }
	with := func(prefix ...string) func(mode, name string) []string {
		return func(mode, name string) []string {
			if mode == "all" {
				return append(slices.Clone(prefix), mode)
			}
			return append(slices.Clone(prefix), mode, name)
		}
	}
	return []readerDriver{
		{Name: "Go", command: with(goDriver)},
		{Name: "Python", command: with(string(bytes.TrimSpace(python)), script("coldstart.py")), env: []string{"PYTHONPATH=" + filepath.Join(root, "readers", "python")}},
		{Name: "Node.js", command: with("node", script("coldstart.mjs"), nodeReader)},
	}, cleanup, nil
}

// measureReader times d's first get and decrypt-all on two baked files of the same n secrets,
// one without a bundle and one with, each in -reader-runs fresh processes against a fresh
// latency server. The runs on the two files take turns, so that both points are measured
// under the same conditions and the bundle's target, which takes the reader's first-call
// overhead from the file without one, compares like with like.
func measureReader(ctx context.Context, d readerDriver, n int, delay time.Duration) (perSecret, bundled readerPoint, err error) {
	var runs [2]readerSamples
	for i, bundle := range []bool{false, true} {
		r := &runs[i]
		if r.taskRoot, r.first, r.chunks, err = latencyBakedFile(ctx, n, delay, bundle); err != nil {
			return perSecret, bundled, err
		}
		defer os.RemoveAll(r.taskRoot)
	}
	for range *readerRuns {
		for i := range runs {
			if err := runs[i].run(ctx, d, n, delay); err != nil {
				return perSecret, bundled, err
			}
		}
	}
	perSecret = runs[0].point(d.Name, n, delay)
	bundled = runs[1].point(d.Name, n, delay)
	perSecret.judge(delay, perSecret.DecryptAllCPU)
	bundled.judge(delay, perSecret.FirstGet-delay)
	return perSecret, bundled, nil
}

// readerSamples is what the runs of one reader on one baked file gave.
type readerSamples struct {
	taskRoot, first                             string
	chunks                                      int // of the file's bundle; 0 without one
	imports, opens, gets, alls, cpus, processes []time.Duration
}

// calls is the number of Decrypt calls of a decrypt-all of the file of n secrets.
func (r *readerSamples) calls(n int) int {
	if r.chunks > 0 {
		return r.chunks
	}
	return n
}

// run makes one first-get run and one decrypt-all run, each checked for exactly its calls: a
// first get decrypts the whole bundle, when there is one.
func (r *readerSamples) run(ctx context.Context, d readerDriver, n int, delay time.Duration) error {
	for _, mode := range []string{"get", "all"} {
		want := map[string]int{"kms:Decrypt": max(r.chunks, 1)}
		if mode == "all" {
			want["kms:Decrypt"] = r.calls(n)
		}
		cs, wall, err := runColdStart(ctx, d, mode, r.first, r.taskRoot, delay, want)
		if err != nil {
			return fmt.Errorf("%s reader, N=%d, %d chunk(s), %s: %w", d.Name, n, r.chunks, mode, err)
		}
		if mode == "all" {
			r.alls, r.cpus = append(r.alls, millisDuration(cs.OpMS)), append(r.cpus, millisDuration(cs.OpCPUMS))
			continue
		}
		r.gets, r.processes = append(r.gets, millisDuration(cs.OpMS)), append(r.processes, wall)
		r.imports, r.opens = append(r.imports, millisDuration(cs.ImportMS)), append(r.opens, millisDuration(cs.OpenMS))
	}
	return nil
}

// point is the medians of the runs.
func (r *readerSamples) point(reader string, n int, delay time.Duration) readerPoint {
	get, all := summarize(r.gets), summarize(r.alls)
	return readerPoint{
		Reader: reader, N: n, Chunks: r.chunks,
		Import: summarize(r.imports).Median, Open: summarize(r.opens).Median,
		FirstGet: get.Median, FirstGetMin: get.Min, FirstGetMax: get.Max,
		DecryptAll: all.Median, DecryptAllMin: all.Min, DecryptAllMax: all.Max,
		DecryptAllCPU: summarize(r.cpus).Median,
		Floor:         time.Duration(ceilDiv(r.calls(n), readerConcurrency)) * delay,
		Process:       summarize(r.processes).Median,
	}
}

// judge sets the point's limit, maxDecryptAllRoundTrips round trips plus beyond, and its result.
func (p *readerPoint) judge(delay, beyond time.Duration) {
	p.Limit = time.Duration(maxDecryptAllRoundTrips*float64(delay)) + beyond
	p.Result = passIf(p.DecryptAll <= p.Limit)
}

// millisDuration is ms milliseconds.
func millisDuration(ms float64) time.Duration {
	return time.Duration(ms * float64(time.Millisecond))
}

// runColdStart runs one driver process against a fresh latency server and checks that it made
// exactly the calls in want.
func runColdStart(ctx context.Context, d readerDriver, mode, name, taskRoot string, delay time.Duration, want map[string]int) (coldStart, time.Duration, error) {
	lat, err := testbed.NewLatency(region, delay)
	if err != nil {
		return coldStart{}, 0, err
	}
	defer lat.Close()
	args := d.command(mode, name)
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	// Variables the endpoint sets empty are left out: boto3 takes AWS_PROFILE= for a profile "".
	env := slices.DeleteFunc(lat.Env(), func(kv string) bool { return strings.HasSuffix(kv, "=") })
	cmd.Env = append(env,
		"AWS_DEFAULT_REGION="+region, // the one boto3 reads
		"LAMBDA_TASK_ROOT="+taskRoot,
		"PATH="+os.Getenv("PATH"),
		"HOME="+os.Getenv("HOME"))
	cmd.Env = append(cmd.Env, d.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return coldStart{}, 0, fmt.Errorf("%v: %w\n%s", args, err, stderr.Bytes()[max(stderr.Len()-stderrTail, 0):])
	}
	var cs coldStart
	if err := json.Unmarshal(stdout.Bytes(), &cs); err != nil {
		return coldStart{}, 0, fmt.Errorf("%v printed %q: %w", args, stdout.Bytes(), err)
	}
	if got := lat.CallsTotal(); !maps.Equal(got, want) {
		return coldStart{}, 0, fmt.Errorf("made %s, want %s", formatCalls(got), formatCalls(want))
	}
	return cs, wall, nil
}

// latencyBakedFile writes a baked file of n secrets as the latency server gives them, with its
// key recorded as a verified bake does and, when bundle is set, their bundle sealed by package
// seal, to a new directory, and returns it, the first name and the bundle's number of chunks.
func latencyBakedFile(ctx context.Context, n int, delay time.Duration, bundle bool) (dir, first string, chunks int, err error) {
	lat, err := testbed.NewLatency(region, delay)
	if err != nil {
		return "", "", 0, err
	}
	defer lat.Close()
	cfg := lat.AWSConfig()
	client := ssm.NewFromConfig(cfg)
	names := make(map[string]string, n) // parameter -> secret name
	for i := range n {
		names[parameterName(i)] = fmt.Sprintf("SECRET_%04d", i)
	}
	doc := baked.Document{Entries: baked.File{}}
	for batch := range slices.Chunk(slices.Sorted(maps.Keys(names)), batchSize) {
		out, err := client.GetParameters(ctx, &ssm.GetParametersInput{Names: batch})
		if err != nil {
			return "", "", 0, fmt.Errorf("failed to read the latency server's parameters: %w", err)
		}
		for _, p := range out.Parameters {
			doc.Entries[names[*p.Name]] = baked.Entry{ARN: *p.ARN, Ciphertext: *p.Value, Parameter: *p.Name, Version: p.Version, KeyARN: lat.KeyARN()}
		}
	}
	if bundle {
		sealer := seal.New(nil, kms.NewFromConfig(cfg), seal.WithConcurrency(readerConcurrency))
		if doc.Bundle, err = sealer.Bundle(ctx, doc.Entries, lat.KeyARN(), nil); err != nil {
			return "", "", 0, fmt.Errorf("failed to seal the bundle: %w", err)
		}
		chunks = len(doc.Bundle.Chunks)
	}
	data, err := doc.Marshal()
	if err != nil {
		return "", "", 0, err
	}
	if dir, err = os.MkdirTemp("", "secret-baker-readers-"); err != nil {
		return "", "", 0, err
	}
	if err := os.WriteFile(filepath.Join(dir, baked.DefaultName), data, 0o644); err != nil {
		os.RemoveAll(dir)
		return "", "", 0, err
	}
	return dir, slices.Sorted(maps.Keys(doc.Entries))[0], chunks, nil
}
