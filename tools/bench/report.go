package main

import (
	"bytes"
	"debug/buildinfo"
	_ "embed"
	"fmt"
	"maps"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/template"
	"time"
)

//go:embed report.md.tmpl
var reportTemplate string

// Limits the report holds the measurements to.
const (
	maxRatio         = 1.3 // wall time over floor, latency endpoint, largest N
	maxRSSMiB        = 64  // peak RSS at the largest N
	maxBinaryMiB     = 25  // static binary
	maxStartToFirst  = 50 * time.Millisecond
	maxSlopeIncrease = 1.5 // per-secret cost of the last segment over that of the first
)

// Target results.
const (
	resultPass = "PASS"
	resultFail = "FAIL"
	resultNA   = "n/a"
)

// report is everything BENCHMARKS.md shows.
type report struct {
	Date          string
	NumCPU        int
	OS, Arch      string
	GoVersion     string // of the binary
	BinaryMiB     float64
	Runs          int
	Delay         time.Duration
	SSMConc       int
	KMSConc       int
	MotoSeeded    int
	Help          summary
	StartToFirst  summary
	Latency       []point
	Moto          []point
	Quota         *quotaReport // nil when not measured
	Growth        []growth
	Targets       []target
	Readers       string   // the section readers.md.tmpl renders; "" when not measured
	ReaderTargets []target // of the readers' decrypt-all, one per reader
	ExecWrapper   string   // the section execwrap.md.tmpl renders; "" when not measured
	Roles         string   // the section roles.md.tmpl renders; "" when not measured
}

// target is one goal and whether the measurements meet it.
type target struct {
	Name, Limit, Measured, Result string
}

// growth is the per-secret cost between successive sizes on one back end.
type growth struct {
	Backend   string
	Points    []point
	PerSecret []float64 // ms per secret from Points[i] to Points[i+1]
	Segments  []string  // "N₁→N₂" of each PerSecret
}

func newReport(o options, binarySize int64) *report {
	r := &report{
		Date:      time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		NumCPU:    runtime.NumCPU(),
		OS:        runtime.GOOS,
		Arch:      runtime.GOARCH,
		GoVersion: runtime.Version(),
		BinaryMiB: float64(binarySize) / (1 << 20),
		Runs:      o.runs,
		Delay:     o.delay,
		SSMConc:   o.ssmConc,
		KMSConc:   o.kmsConc,
	}
	if info, err := buildinfo.ReadFile(o.binary); err == nil {
		r.GoVersion = info.GoVersion
	}
	return r
}

// Verified tells whether every run verified, i.e. the binary calls KMS.
func (r *report) Verified() bool {
	for _, p := range slices.Concat(r.Latency, r.Moto) {
		if !p.Verified {
			return false
		}
	}
	return true
}

// evaluate computes the growth table and the targets.
func (r *report) evaluate() {
	for _, b := range []struct {
		name   string
		points []point
	}{{"latency-only endpoint", r.Latency}, {"moto emulator", r.Moto}} {
		if len(b.points) < 2 {
			continue
		}
		g := growth{Backend: b.name, Points: b.points}
		for i := 1; i < len(b.points); i++ {
			a, c := b.points[i-1], b.points[i]
			g.Segments = append(g.Segments, fmt.Sprintf("%d→%d", a.N, c.N))
			added := (c.Wall - c.Pacing) - (a.Wall - a.Pacing)
			g.PerSecret = append(g.PerSecret, float64(added)/float64(time.Millisecond)/float64(c.N-a.N))
		}
		r.Growth = append(r.Growth, g)
	}
	r.Targets = []target{r.callsTarget(), r.latencyTarget(), r.rssTarget(), r.binaryTarget(), r.startTarget(), r.growthTarget()}
	r.Targets = append(r.Targets, r.ReaderTargets...)
	if r.Quota != nil {
		r.Targets = append(r.Targets, r.Quota.targets()...)
	}
}

func (r *report) callsTarget() target {
	t := target{Name: "API calls equal the floor on a clean run", Limit: "⌈N/10⌉ GetParameters, N Decrypt, nothing else"}
	if !r.Verified() {
		t.Name += " (bake only: the binary does not verify yet)"
		t.Limit = "⌈N/10⌉ GetParameters, nothing else"
	}
	t.Result = resultPass
	var sizes, misses []string
	for _, b := range []struct {
		name   string
		points []point
	}{{"moto", r.Moto}, {"latency", r.Latency}} {
		for _, p := range b.points {
			if b.name == "moto" || len(r.Moto) == 0 {
				sizes = append(sizes, fmt.Sprint(p.N))
			}
			switch {
			case !p.CallsSame:
				misses = append(misses, fmt.Sprintf("%s N=%d: calls varied between runs", b.name, p.N))
			case !maps.Equal(p.Calls, p.WantCalls):
				misses = append(misses, fmt.Sprintf("%s N=%d: %s", b.name, p.N, formatCalls(p.Calls)))
			}
		}
	}
	t.Measured = fmt.Sprintf("the least, on every run at N = %s", strings.Join(sizes, ", "))
	if len(misses) > 0 {
		t.Result, t.Measured = resultFail, strings.Join(misses, "; ")
	}
	return t
}

func (r *report) latencyTarget() target {
	p := r.Latency[len(r.Latency)-1]
	t := target{
		Name:     fmt.Sprintf("bake + verify of N=%d, latency-only endpoint, default concurrency", p.N),
		Limit:    fmt.Sprintf("≤ %.1f × floor (%s)", maxRatio, ms(p.Floor)),
		Measured: fmt.Sprintf("%s = %.2f × floor", ms(p.Wall), p.Ratio),
		Result:   passIf(p.Ratio <= maxRatio),
	}
	if !p.Verified {
		t.Measured += " (bake only)"
		t.Result = resultNA
	}
	return t
}

func (r *report) rssTarget() target {
	var (
		worst float64
		parts []string
		n     int
	)
	for _, b := range []struct {
		name   string
		points []point
	}{{"latency", r.Latency}, {"moto", r.Moto}} {
		if len(b.points) == 0 {
			continue
		}
		p := b.points[len(b.points)-1]
		n = p.N
		worst = max(worst, p.RSSMiB)
		parts = append(parts, fmt.Sprintf("%s %.1f MiB", b.name, p.RSSMiB))
	}
	return target{
		Name:     fmt.Sprintf("peak RSS of secret-baker at N=%d", n),
		Limit:    fmt.Sprintf("< %d MiB", maxRSSMiB),
		Measured: strings.Join(parts, ", "),
		Result:   passIf(worst < maxRSSMiB),
	}
}

func (r *report) binaryTarget() target {
	return target{
		Name:     "static binary size",
		Limit:    fmt.Sprintf("< %d MiB", maxBinaryMiB),
		Measured: fmt.Sprintf("%.1f MiB", r.BinaryMiB),
		Result:   passIf(r.BinaryMiB < maxBinaryMiB),
	}
}

func (r *report) startTarget() target {
	return target{
		Name:     "process start to first AWS request (median)",
		Limit:    "< " + ms(maxStartToFirst),
		Measured: ms(r.StartToFirst.Median),
		Result:   passIf(r.StartToFirst.Median < maxStartToFirst),
	}
}

func (r *report) growthTarget() target {
	t := target{
		Name:   "linear growth: per-secret wall time, less the pacing floor, does not rise with N",
		Limit:  fmt.Sprintf("last segment ≤ %.1f × first segment", maxSlopeIncrease),
		Result: resultPass,
	}
	var parts []string
	for _, g := range r.Growth {
		first, last := g.PerSecret[0], g.PerSecret[len(g.PerSecret)-1]
		parts = append(parts, fmt.Sprintf("%s %.2f → %.2f ms/secret", g.Backend, first, last))
		if len(g.PerSecret) < 2 {
			continue
		}
		if last > maxSlopeIncrease*first {
			t.Result = resultFail
		}
	}
	if len(parts) == 0 {
		t.Result = resultNA
	}
	t.Measured = strings.Join(parts, "; ")
	return t
}

func passIf(ok bool) string {
	if ok {
		return resultPass
	}
	return resultFail
}

// formatCalls lists calls per operation as "op n, op n" in a stable order.
func formatCalls(calls map[string]int) string {
	var parts []string
	for _, op := range slices.Sorted(maps.Keys(calls)) {
		parts = append(parts, fmt.Sprintf("%s %d", op, calls[op]))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// writeReport renders r into path.
func writeReport(path string, r *report) error {
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"ms":    ms,
		"calls": formatCalls,
		"add":   func(a, b int) int { return a + b },
		"mul":   func(a, b int) int { return a * b },
	}).Parse(reportTemplate + quotaTemplate)
	if err != nil {
		return fmt.Errorf("failed to parse the report template: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, r); err != nil {
		return fmt.Errorf("failed to render the report: %w", err)
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
