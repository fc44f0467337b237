package main

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// region is the AWS region every run uses.
const region = "us-east-1"

// keyAlias names the customer managed key the secrets are encrypted with; the spec requires it.
const keyAlias = "alias/secret-baker-bench"

// endpoint is where one run of the binary sends its AWS calls, and what it saw of them.
type endpoint struct {
	env   []string
	calls func() map[string]int
	first func() time.Time // arrival of the first request; nil when not recorded
	close func()
}

// backend opens a fresh endpoint for each run, so that each run's calls are counted apart.
type backend struct {
	name string
	open func() (endpoint, error)
}

// latencyBackend answers every call after delay and costs nothing else (testbed.Latency).
func latencyBackend(delay time.Duration) backend {
	return backend{name: "latency", open: func() (endpoint, error) {
		s, err := testbed.NewLatency(region, delay)
		if err != nil {
			return endpoint{}, err
		}
		return endpoint{env: s.Env(), calls: s.CallsTotal, first: s.FirstRequest, close: s.Close}, nil
	}}
}

// motoServer is a running emulator seeded with the benchmark's parameters.
type motoServer struct {
	backend
	emu *testbed.Emulator
}

// seedConcurrency is how many PutParameter calls seed the emulator at once.
const seedConcurrency = 4

// startMoto starts the emulator and seeds n SecureStrings under one customer managed key.
func startMoto(ctx context.Context, n int) (*motoServer, error) {
	emu, err := testbed.Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to start the emulator: %w", err)
	}
	seeder := emu.Seeder(region)
	keyID, _, err := seeder.CreateKey(ctx, keyAlias)
	if err != nil {
		_ = emu.Close()
		return nil, err
	}
	fmt.Printf("    seeding %d SecureStrings\n", n)
	start := time.Now()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(seedConcurrency)
	for i := range n {
		g.Go(func() error {
			_, err := seeder.PutSecureString(gctx, parameterName(i), fmt.Sprintf("value-%d", i), keyID)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		_ = emu.Close()
		return nil, err
	}
	fmt.Printf("    seeded in %v\n", time.Since(start).Round(time.Millisecond))
	m := &motoServer{emu: emu}
	m.backend = backend{name: "moto", open: func() (endpoint, error) {
		p, err := testbed.NewProxy(emu.URL)
		if err != nil {
			return endpoint{}, err
		}
		return endpoint{env: p.Env(region), calls: p.CallsTotal, close: p.Close}, nil
	}}
	return m, nil
}

func (m *motoServer) close() {
	if err := m.emu.Close(); err != nil {
		fmt.Printf("    stopping the emulator: %v\n", err)
	}
}
