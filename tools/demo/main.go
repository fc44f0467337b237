// Command demo runs secret-baker against the local AWS emulator: it starts
// the emulator, seeds the sample parameters of testdata/demo under a
// customer-managed KMS key, runs the binary on the sample spec in .demo/,
// prints the baked file's path, digest and the API calls made, and stops the
// emulator. It is what `make demo` runs.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

const (
	region   = "us-east-1"
	keyAlias = "alias/demo-app-secrets"
	workDir  = ".demo"
	specDir  = "testdata/demo"
)

// parameter is one sample parameter version to seed.
type parameter struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Label string `json:"label"`
}

func main() {
	binary := flag.String("binary", "bin/secret-baker", "secret-baker binary to run")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *binary); err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, binary string) error {
	binary, err := filepath.Abs(binary)
	if err != nil {
		return err
	}
	fmt.Println("==> starting the AWS emulator (moto, patched to return real KMS ciphertext)")
	emu, err := testbed.Start(ctx)
	if err != nil {
		return fmt.Errorf("failed to start the emulator: %w", err)
	}
	defer emu.Close()
	proxy, err := testbed.NewProxy(emu.URL)
	if err != nil {
		return err
	}
	defer proxy.Close()

	fmt.Printf("==> seeding %s with sample parameters under %s\n", emu.URL, keyAlias)
	if err := seed(ctx, emu.Seeder(region)); err != nil {
		return err
	}
	if err := prepareWorkspace(); err != nil {
		return err
	}

	fmt.Println("==> running secret-baker (bake, then verify every secret with KMS)")
	cmd := exec.CommandContext(ctx, binary, "--config", "secret-baker.yml")
	cmd.Dir = workDir
	cmd.Env = append(proxy.Env(region), "PATH="+os.Getenv("PATH"))
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("secret-baker failed: %w", err)
	}

	out := filepath.Join(workDir, baked.DefaultName)
	data, err := os.ReadFile(out)
	if err != nil {
		return err
	}
	fmt.Printf("==> baked file: %s\n    digest:     %s\n", out, baked.Digest(data))
	calls := proxy.CallsTotal()
	var counts []string
	for _, op := range slices.Sorted(maps.Keys(calls)) {
		counts = append(counts, fmt.Sprintf("%d %s", calls[op], op))
	}
	fmt.Printf("    API calls:  %s\n", strings.Join(counts, ", "))
	fmt.Println("==> stopping the emulator")
	return nil
}

// seed creates the demo key and puts every sample parameter version.
func seed(ctx context.Context, s *testbed.Seeder) error {
	keyID, _, err := s.CreateKey(ctx, keyAlias)
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(specDir, "parameters.json"))
	if err != nil {
		return err
	}
	var params []parameter
	if err := json.Unmarshal(raw, &params); err != nil {
		return fmt.Errorf("failed to read sample parameters: %w", err)
	}
	for _, p := range params {
		version, err := s.PutSecureString(ctx, p.Name, p.Value, keyID)
		if err != nil {
			return err
		}
		if p.Label != "" {
			if err := s.LabelVersion(ctx, p.Name, version, p.Label); err != nil {
				return err
			}
		}
	}
	return nil
}

// prepareWorkspace copies the sample spec and schema into a fresh .demo/.
func prepareWorkspace() error {
	if err := os.RemoveAll(workDir); err != nil {
		return err
	}
	for _, f := range []string{"secret-baker.yml", "schemas/service-config.json"} {
		data, err := os.ReadFile(filepath.Join(specDir, f))
		if err != nil {
			return err
		}
		dst := filepath.Join(workDir, f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
