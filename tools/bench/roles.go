package main

import (
	"bytes"
	"context"
	_ "embed"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/template"
	"time"
)

//go:embed roles.md.tmpl
var rolesTemplate string

// Flags of the function role proof's measurement.
var (
	rolesOn     = flag.Bool("roles", true, "also measure the function role proof")
	roleSecrets = flag.Int("role-secrets", 200, "secrets of the function role proof's measurement")
)

// roleCounts are the numbers of function roles measured, the first without a proof.
var roleCounts = []int{0, 1, 3}

// rolePoint is the median of bakes with a number of function roles.
type rolePoint struct {
	Roles      int
	Wall       time.Duration
	Added      time.Duration // over the bake without a proof
	AssumeRole int
	Decrypt    int // kms:Decrypt calls, verification's and the proof's DryRuns
}

// rolesSection is what roles.md.tmpl renders.
type rolesSection struct {
	N, Runs, KMSConc int
	Delay            time.Duration
	Points           []rolePoint
}

// measureRoles times a verified bake of roleSecrets secrets against the latency-only
// endpoint with 0, 1 and 3 function roles, and returns the report's section; "" when
// -roles=false.
func (b *bench) measureRoles(ctx context.Context) (string, error) {
	if !*rolesOn {
		return "", nil
	}
	n := *roleSecrets
	fmt.Printf("==> function role proof, N=%d, latency-only endpoint (%v per call)\n", n, b.opts.delay)
	dir, err := newWorkspace(n)
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	be := latencyBackend(b.opts.delay)
	sec := rolesSection{N: n, Runs: b.opts.runs, KMSConc: b.opts.kmsConc, Delay: b.opts.delay}
	for _, count := range roleCounts {
		var args []string
		if count > 0 {
			arns := make([]string, count)
			for i := range arns {
				arns[i] = fmt.Sprintf("arn:aws:iam::123456789012:role/fn-%d", i+1)
			}
			args = []string{"--function-roles", strings.Join(arns, ",")}
		}
		walls := make([]time.Duration, b.opts.runs)
		var last sample
		for i := range walls {
			ep, err := be.open()
			if err != nil {
				return "", err
			}
			last, err = b.runOn(ctx, ep, be.name, dir, n, args...)
			ep.close()
			if err != nil {
				return "", err
			}
			walls[i] = last.wall
		}
		p := rolePoint{Roles: count, Wall: summarize(walls).Median, AssumeRole: last.calls["sts:AssumeRole"], Decrypt: last.calls["kms:Decrypt"]}
		if want := n * (1 + count); p.AssumeRole != count || p.Decrypt != want {
			return "", fmt.Errorf("%d function roles: %d AssumeRole and %d Decrypt calls, want %d and %d", count, p.AssumeRole, p.Decrypt, count, want)
		}
		if len(sec.Points) > 0 {
			p.Added = p.Wall - sec.Points[0].Wall
		}
		fmt.Printf("    roles=%d median %-9v added %v\n", count, ms(p.Wall), ms(p.Added))
		sec.Points = append(sec.Points, p)
	}
	tmpl, err := template.New("roles").Funcs(template.FuncMap{"ms": ms}).Parse(rolesTemplate)
	if err != nil {
		return "", fmt.Errorf("failed to parse the roles template: %w", err)
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, sec); err != nil {
		return "", fmt.Errorf("failed to render the roles section: %w", err)
	}
	return out.String(), nil
}
