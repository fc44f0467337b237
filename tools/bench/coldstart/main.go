// Command coldstart is the Go driver of bench's reader measurements: run in a
// fresh process as a Lambda cold start would be, it opens the baked file in
// $LAMBDA_TASK_ROOT with package baked and either looks one secret up
// ("coldstart get NAME") or decrypts them all ("coldstart all"), and prints
// how long each step took as JSON (never a plaintext). coldstart.py and
// coldstart.mjs do the same for the Python and Node.js readers.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
)

// timing is what every driver prints, in milliseconds.
type timing struct {
	ImportMS float64 `json:"import_ms"` // loading the reader; 0 for Go, linked into the binary
	OpenMS   float64 `json:"open_ms"`   // the KMS client and the file
	OpMS     float64 `json:"op_ms"`     // the first get, or decrypting all
	OpCPUMS  float64 `json:"op_cpu_ms"` // the process's user and system time in it, every thread's
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "coldstart: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || (args[0] == "get") != (len(args) == 2) {
		return fmt.Errorf("usage: coldstart get NAME | coldstart all")
	}
	ctx := context.Background()
	start := time.Now()
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(baked.HTTPClient()))
	if err != nil {
		return err
	}
	secrets, err := baked.Open(baked.DefaultPath(), kms.NewFromConfig(cfg))
	if err != nil {
		return err
	}
	opened, cpu := time.Now(), cpuTime()
	if args[0] == "get" {
		_, err = secrets.Get(ctx, args[1])
	} else {
		err = secrets.DecryptAll(ctx)
	}
	if err != nil {
		return err
	}
	done, cpuDone := time.Now(), cpuTime()
	return json.NewEncoder(os.Stdout).Encode(timing{OpenMS: millis(opened.Sub(start)), OpMS: millis(done.Sub(opened)), OpCPUMS: millis(cpuDone - cpu)})
}

// cpuTime is the user and system time the process has used so far.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func millis(d time.Duration) float64 {
	return float64(d) / float64(time.Millisecond)
}
