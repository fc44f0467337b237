// Command demo shows what secret-baker is for, on the local AWS emulator, with
// real runs of the secret-baker binary and of the Go reader (package baked):
//
//  1. bake four SSM SecureStrings and verify them: every check passes, and the
//     file holds only ciphertext (one entry is shown, shortened);
//  2. a pull request adds a JSON secret whose port is a string: the run fails
//     at the spec's file:line:col before anything is written, with no value;
//  3. the Lambda side: a cold start of the Go reader decrypts the baked file
//     with one KMS call per secret, counted at the emulator's proxy;
//  4. a parameter is rotated, and drift names the stale secret.
//
// It is what `make demo` runs. It prints no secret value.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/org/secret-baker/internal/testing/testbed"
)

const (
	region   = "us-east-1"
	keyAlias = "alias/demo-app-secrets"
	specName = "secret-baker.yml"
)

// demo is one run of the demo.
type demo struct {
	binary  string // the secret-baker binary, an absolute path
	specDir string // the sample spec, schemas and parameters (testdata/demo)
	workDir string // the workspace the binary runs in, made afresh
	emu     *testbed.Emulator
	out     io.Writer

	keyID string // the demo key, made by seed
}

func main() {
	binary := flag.String("binary", "bin/secret-baker", "secret-baker binary to run")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := start(ctx, *binary); err != nil {
		fmt.Fprintf(os.Stderr, "demo: %v\n", err)
		os.Exit(1)
	}
}

// start runs the demo on an emulator of its own, in .demo/.
func start(ctx context.Context, binary string) error {
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
	d := &demo{binary: binary, specDir: "testdata/demo", workDir: ".demo", emu: emu, out: os.Stdout}
	if err := d.run(ctx); err != nil {
		return err
	}
	fmt.Println("==> stopping the emulator")
	return nil
}

// run seeds the emulator and tells the four steps.
func (d *demo) run(ctx context.Context) error {
	if err := d.seed(ctx); err != nil {
		return err
	}
	for _, step := range []func(context.Context) error{d.bake, d.malformed, d.coldStart, d.drift} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	return nil
}

// heading starts a step of the story.
func (d *demo) heading(format string, args ...any) {
	fmt.Fprintf(d.out, "\n==> "+format+"\n", args...)
}

// secretBaker runs the binary in the workspace against the emulator through
// proxy, printing the command line and what the binary prints, and returns
// its exit code. Only a failure to start it is an error.
func (d *demo) secretBaker(ctx context.Context, proxy *testbed.Proxy, args ...string) (int, error) {
	fmt.Fprintf(d.out, "$ secret-baker %s\n", strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, d.binary, args...)
	cmd.Dir = d.workDir
	cmd.Env = append(proxy.Env(region), "PATH="+os.Getenv("PATH"))
	var output bytes.Buffer
	cmd.Stdout, cmd.Stderr = &output, &output
	err := cmd.Run()
	d.out.Write(output.Bytes())
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		return exit.ExitCode(), nil
	}
	return 0, err
}

// proxy starts a proxy that counts the calls of one step.
func (d *demo) proxy() (*testbed.Proxy, error) {
	return testbed.NewProxy(d.emu.URL)
}
