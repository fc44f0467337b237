package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"
)

// peerResult is serverless-secret-baker 2.1.0's bake under the same quota.
type peerResult struct {
	// Skipped says why it was not measured; empty when it was.
	Skipped   string
	Wall      summary
	Failed    int
	Failure   string
	Requests  int // throttled requests, median
	GetParams int // ssm:GetParameter calls of the last repetition
}

// peer runs the plugin's bake of n secrets, through tools/bench/peer (peer.js), opts.runs
// times against a fresh throttled quotaServer each. It installs the pinned npm packages there
// first if they are missing; without node and npm, or when the install fails, it says so.
func (b *bench) peer(ctx context.Context, n int) (peerResult, error) {
	dir, err := filepath.Abs(b.opts.peerDir)
	if err != nil {
		return peerResult{}, err
	}
	node, errNode := exec.LookPath("node")
	npm, errNPM := exec.LookPath("npm")
	if errNode != nil || errNPM != nil {
		return peerResult{Skipped: "node and npm are not both on PATH"}, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules")); err != nil {
		fmt.Printf("    npm ci in %s\n", b.opts.peerDir)
		cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return peerResult{Skipped: "npm ci failed: " + oneLine(string(out))}, nil
		}
	}

	var res peerResult
	var walls []time.Duration
	var throttled []int
	for range b.opts.runs {
		s, err := startQuotaServer(b.opts.quotaDelay, true)
		if err != nil {
			return peerResult{}, err
		}
		wall, err := runPeer(ctx, node, filepath.Join(dir, "peer.js"), s.endpoint().env, n)
		res.GetParams = s.Calls("ssm:GetParameter")
		throttled = append(throttled, s.throttled())
		s.Close()
		if ctx.Err() != nil {
			return peerResult{}, ctx.Err()
		}
		walls = append(walls, wall)
		if err != nil {
			res.Failed++
			if res.Failure == "" {
				res.Failure = oneLine(fmt.Sprintf("after %s: %v", ms(wall), err))
			}
		}
	}
	res.Wall = summarize(walls)
	slices.Sort(throttled)
	res.Requests = throttled[len(throttled)/2]
	fmt.Printf("    %-44s median %-9v throttled %4d  failed %d\n", "serverless-secret-baker 2.1.0, bake", ms(res.Wall.Median), res.Requests, res.Failed)
	return res, nil
}

// runPeer runs peer.js for n secrets in a fresh directory with env and checks the file it wrote.
func runPeer(ctx context.Context, node, script string, env []string, n int) (time.Duration, error) {
	work, err := os.MkdirTemp("", "secret-baker-bench-peer-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(work)
	cmd := exec.CommandContext(ctx, node, script, strconv.Itoa(n))
	cmd.Dir = work
	cmd.Env = append(env, "PATH="+os.Getenv("PATH"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return wall, fmt.Errorf("serverless-secret-baker failed: %w\n%s", err, stderr.Bytes()[max(stderr.Len()-stderrTail, 0):])
	}
	data, err := os.ReadFile(filepath.Join(work, "secret-baker-secrets.json"))
	if err != nil {
		return wall, fmt.Errorf("serverless-secret-baker wrote no file: %w", err)
	}
	var secrets map[string]struct{ Ciphertext, ARN string }
	if err := json.Unmarshal(data, &secrets); err != nil {
		return wall, fmt.Errorf("serverless-secret-baker's file: %w", err)
	}
	if len(secrets) != n {
		return wall, fmt.Errorf("serverless-secret-baker baked %d secrets, want %d", len(secrets), n)
	}
	return wall, nil
}
