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

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

//go:embed readers.md.tmpl
var readersTemplate string

// Flags of the reader measurements, beside the harness's own in main.go.
var (
	readersOn   = flag.Bool("readers", true, "also measure the Lambda-side readers (Go, Python, Node.js) at a cold start")
	readerSizes = flag.String("reader-sizes", "1,10,50,200", "numbers of secrets in the baked file the readers open, comma separated, ascending")
	readerRuns  = flag.Int("reader-runs", 5, "runs per reader, size and measurement; the report gives the median")
)

// readerConcurrency is how many Decrypt calls every reader's decrypt-all makes at once, at most.
const readerConcurrency = baked.DecryptConcurrency

// maxDecryptAllRoundTrips is the decrypt-all target, in round trips beyond the reader's
// first-call overhead: one round trip, all calls at once, with half a round trip to spare.
const maxDecryptAllRoundTrips = 1.5

// readerDriver runs one cold start of one reader.
type readerDriver struct {
	Name string
	// command returns the command line that looks name up ("get") or decrypts all ("all").
	command func(mode, name string) []string
	// env is what the driver needs in its environment beyond the endpoint's.
	env []string
}

// readerPoint is the medians of one reader on one file size.
type readerPoint struct {
	Reader                 string
	N                      int
	Import, Open, FirstGet time.Duration
	DecryptAll             time.Duration
	DecryptAllMin          time.Duration
	DecryptAllMax          time.Duration
	FirstGetMin            time.Duration
	FirstGetMax            time.Duration
	Floor                  time.Duration // of decrypt-all: ⌈N/concurrency⌉ round trips
	Process                time.Duration // process start to exit, first-get runs
	// Limit is the decrypt-all target: maxDecryptAllRoundTrips round trips plus the
	// reader's first-call overhead, its first get less one round trip.
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
		var points []readerPoint
		for _, n := range sizes {
			p, err := measureReader(ctx, d, n, delay)
			if err != nil {
				return "", nil, err
			}
			fmt.Printf("    %-7s N=%-3d first get %-9s decrypt all %-9s %s\n", d.Name, n, ms(p.FirstGet), ms(p.DecryptAll), p.Result)
			points = append(points, p)
		}
		sec.Points = append(sec.Points, points...)
		targets = append(targets, decryptAllTarget(d.Name, points))
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

// decryptAllTarget is the target of one reader's decrypt-all at every size measured.
func decryptAllTarget(reader string, points []readerPoint) target {
	t := target{
		Name:   reader + " reader's decrypt-all, latency-only endpoint",
		Limit:  fmt.Sprintf("≤ %.1f round trips + the reader's first-call overhead (first get − 1 round trip)", maxDecryptAllRoundTrips),
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

// measureReader times d's first get and decrypt-all on a baked file of n secrets, each in
// -reader-runs fresh processes against a fresh latency server.
func measureReader(ctx context.Context, d readerDriver, n int, delay time.Duration) (readerPoint, error) {
	taskRoot, first, err := latencyBakedFile(ctx, n, delay)
	if err != nil {
		return readerPoint{}, err
	}
	defer os.RemoveAll(taskRoot)
	var imports, opens, gets, alls, processes []time.Duration
	for range *readerRuns {
		for _, mode := range []string{"get", "all"} {
			want := map[string]int{"kms:Decrypt": 1}
			if mode == "all" {
				want["kms:Decrypt"] = n
			}
			cs, wall, err := runColdStart(ctx, d, mode, first, taskRoot, delay, want)
			if err != nil {
				return readerPoint{}, fmt.Errorf("%s reader, N=%d, %s: %w", d.Name, n, mode, err)
			}
			op := time.Duration(cs.OpMS * float64(time.Millisecond))
			if mode == "all" {
				alls = append(alls, op)
				continue
			}
			gets, processes = append(gets, op), append(processes, wall)
			imports = append(imports, time.Duration(cs.ImportMS*float64(time.Millisecond)))
			opens = append(opens, time.Duration(cs.OpenMS*float64(time.Millisecond)))
		}
	}
	get, all := summarize(gets), summarize(alls)
	limit := time.Duration(maxDecryptAllRoundTrips*float64(delay)) + get.Median - delay
	return readerPoint{
		Reader: d.Name, N: n,
		Import: summarize(imports).Median, Open: summarize(opens).Median,
		FirstGet: get.Median, FirstGetMin: get.Min, FirstGetMax: get.Max,
		DecryptAll: all.Median, DecryptAllMin: all.Min, DecryptAllMax: all.Max,
		Floor:   time.Duration(ceilDiv(n, readerConcurrency)) * delay,
		Process: summarize(processes).Median,
		Limit:   limit, Result: passIf(all.Median <= limit),
	}, nil
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
// key recorded as a verified bake does, to a new directory, and returns it and the first name.
func latencyBakedFile(ctx context.Context, n int, delay time.Duration) (dir, first string, err error) {
	lat, err := testbed.NewLatency(region, delay)
	if err != nil {
		return "", "", err
	}
	defer lat.Close()
	client := ssm.NewFromConfig(lat.AWSConfig())
	names := make(map[string]string, n) // parameter -> secret name
	for i := range n {
		names[parameterName(i)] = fmt.Sprintf("SECRET_%04d", i)
	}
	file := baked.File{}
	for batch := range slices.Chunk(slices.Sorted(maps.Keys(names)), batchSize) {
		out, err := client.GetParameters(ctx, &ssm.GetParametersInput{Names: batch})
		if err != nil {
			return "", "", fmt.Errorf("failed to read the latency server's parameters: %w", err)
		}
		for _, p := range out.Parameters {
			file[names[*p.Name]] = baked.Entry{ARN: *p.ARN, Ciphertext: *p.Value, Parameter: *p.Name, Version: p.Version, KeyARN: lat.KeyARN()}
		}
	}
	data, err := file.Marshal()
	if err != nil {
		return "", "", err
	}
	if dir, err = os.MkdirTemp("", "secret-baker-readers-"); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(filepath.Join(dir, baked.DefaultName), data, 0o644); err != nil {
		os.RemoveAll(dir)
		return "", "", err
	}
	return dir, slices.Sorted(maps.Keys(file))[0], nil
}
