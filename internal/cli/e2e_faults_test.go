package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// The bound on a run against a dead endpoint (connection refused at once), from aws.go: each
// AWS call makes retryMaxAttempts (5) attempts (internal/pace: throttling aside), and the SDK's backoff before retry i (1 to 4),
// with MaxBackoff 5s, is a random [0, 2^i) s while 2^i s stays under it (i ≤ log2(5), so i = 1,
// 2) and exactly 5s after (i = 3, 4): at most 2 + 4 + 5 + 5 = 16s, at least 10s. GetParameters
// calls run in parallel and the first failure cancels the others, so a dead endpoint fails the
// run within about 16 seconds. An endpoint that drops packets adds connectTimeout (5s) per
// attempt, 41s in all; one that accepts and never answers adds requestTimeout (30s) per
// attempt, 166s in all.

// faultSeed is the first seed (from 1) for which a fresh Chaos fails the first request of each
// op at rate, so that each op gets at least one fault however few calls the run makes.
func faultSeed(t *testing.T, rate float64, ops []string, failures ...testbed.Failure) uint64 {
	t.Helper()
	for seed := uint64(1); seed < 1000; seed++ {
		fault := testbed.NewChaos(seed, 1).Fail(rate, ops, failures...)
		all := true
		for _, op := range ops {
			r := httptest.NewRequest(http.MethodPost, "/", nil)
			r.Header.Set("X-Amz-Target", "X."+op)
			// A recorder cannot be hijacked: a reset answers it with an error, which is fine here.
			all = all && fault(op, httptest.NewRecorder(), r)
		}
		if all {
			return seed
		}
	}
	t.Fatal("no seed fails the first request of every op")
	return 0
}

// TestFaultsRetried checks that a run through a lossy network succeeds and writes the same
// file as a run without faults.
func TestFaultsRetried(t *testing.T) {
	t.Parallel()
	ops := []string{"ssm:GetParameters", "kms:Decrypt"}
	tests := []struct {
		name     string
		failures []testbed.Failure
	}{
		{"throttling", []testbed.Failure{testbed.Throttling}},
		{"503 and resets", []testbed.Failure{testbed.Unavailable, testbed.ConnectionReset}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": verifiedSpec(t, f, 12)})
			clean := f.run(t, nil)
			if clean.code != 0 {
				t.Fatalf("run without faults: exit %d\n%s", clean.code, clean.stderr)
			}
			want := f.readOutput(t, baked.DefaultName)
			writeFiles(t, f.workspace, map[string]string{baked.DefaultName: "previous\n"})

			const rate = 0.3
			// Never more faults per call than retries, so that the run must succeed.
			chaos := testbed.NewChaos(faultSeed(t, rate, ops, tt.failures...), retryMaxAttempts-1)
			f.proxy.SetFault(chaos.Fail(rate, ops, tt.failures...))
			got := f.run(t, nil)

			if got.code != 0 {
				t.Fatalf("run with faults: exit %d\nstderr:\n%s", got.code, got.stderr)
			}
			if data := f.readOutput(t, baked.DefaultName); !bytes.Equal(data, want) {
				t.Errorf("baked file differs from the run without faults:\n%s\nwant:\n%s", data, want)
			}
			for _, op := range ops {
				t.Logf("%s: %d requests, %d faults injected", op, f.proxy.Calls(op), chaos.InjectedFor(op))
			}
			for inj, n := range chaos.Injected() {
				t.Logf("injected %s into %s: %d", inj.Failure, inj.Op, n)
			}
			for _, op := range []string{"ssm:GetParameters", "kms:Decrypt"} {
				if chaos.InjectedFor(op) == 0 {
					t.Errorf("no fault injected into %s (%d requests): verify does not run in the bake command?", op, f.proxy.Calls(op))
				}
			}
		})
	}
}

// TestFaultDeadEndpoint checks that a run whose AWS endpoint refuses connections fails with a
// clear error and leaves the previous file alone; see the bound at the top of this file.
func TestFaultDeadEndpoint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{
		".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n",
		baked.DefaultName:          "previous\n",
	})
	dead, err := testbed.DeadEndpoint()
	if err != nil {
		t.Fatal(err)
	}

	got := f.run(t, []string{"AWS_ENDPOINT_URL=" + dead})

	if got.code == 0 {
		t.Fatalf("exit 0 against a dead endpoint\nstdout:\n%s", got.stdout)
	}
	for _, want := range []string{"GetParameters", "connection refused", strings.TrimPrefix(dead, "http://"), "exceeded maximum number of attempts, 5"} {
		if !strings.Contains(got.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, got.stderr)
		}
	}
	if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
		t.Errorf("previous file changed to %q", data)
	}
	if calls := f.proxy.CallsTotal(); len(calls) != 0 {
		t.Errorf("calls reached the proxy: %v", calls)
	}
}

// TestFaultKilledMidRun kills runs with SIGKILL at moments spread over a run's duration and
// checks that the output path always holds the old or the new file, never a torn one, and
// that the next run leaves no temporary file behind.
func TestFaultKilledMidRun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": verifiedSpec(t, f, 30)})
	// Latency on every call stretches the run, so that kills land in and between calls.
	f.proxy.SetFault(testbed.Delay(20 * time.Millisecond))
	// The race detector's runtime sleeps a second at exit (GORACE atexit_sleep_ms), which
	// would only stretch the time after the write.
	env := append(f.proxy.Env(region), "GORACE=atexit_sleep_ms=0")

	start := time.Now()
	if res := runProgram(t, f.workspace, env); res.code != 0 {
		t.Fatalf("reference run: exit %d\n%s", res.code, res.stderr)
	}
	outPath := filepath.Join(f.workspace, baked.DefaultName)
	info, err := os.Stat(outPath)
	if err != nil {
		t.Fatal(err)
	}
	// When the reference run wrote its file; it only schedules the kills below.
	writtenAt := info.ModTime().Sub(start)
	want := f.readOutput(t, baked.DefaultName)
	const old = "previous\n"
	tempGlob := filepath.Join(f.workspace, outfile.TempPattern(baked.DefaultName))

	const kills = 12
	outcomes := map[string]int{}
	for i := range kills {
		writeFiles(t, f.workspace, map[string]string{baked.DefaultName: old})
		p := startProgram(t, f.workspace, env)
		// From an eighth of the way to the write to half as far again past it.
		time.Sleep(writtenAt * time.Duration(3*(i+1)) / (2 * kills))
		_ = p.cmd.Process.Kill()
		res := p.wait()

		data, err := os.ReadFile(outPath)
		switch {
		case err != nil:
			t.Fatalf("kill %d: output path unreadable: %v", i, err)
		case string(data) == old && res.code == -1:
			outcomes["killed, old file kept"]++
		case bytes.Equal(data, want) && res.code == -1:
			outcomes["killed after the rename, new file"]++
		case bytes.Equal(data, want) && res.code == 0:
			outcomes["finished before the kill"]++
		default:
			t.Errorf("kill %d (exit %d): output path holds %d bytes, neither the old nor the new file", i, res.code, len(data))
		}
		temps, _ := filepath.Glob(tempGlob)
		if len(temps) > 0 {
			outcomes["temporary file left by the kill"]++
		}
		// A torn temporary file as a crash in the middle of the write leaves it.
		torn := strings.Replace(outfile.TempPattern(baked.DefaultName), "*", "torn", 1)
		writeFiles(t, f.workspace, map[string]string{torn: string(want[:len(want)/2])})

		if next := runProgram(t, f.workspace, env); next.code != 0 {
			t.Fatalf("kill %d: next run: exit %d\n%s", i, next.code, next.stderr)
		}
		if data := f.readOutput(t, baked.DefaultName); !bytes.Equal(data, want) {
			t.Errorf("kill %d: next run wrote a different file", i)
		}
		if temps, _ := filepath.Glob(tempGlob); len(temps) > 0 {
			t.Errorf("kill %d: temporary files remain after the next run: %v", i, temps)
		}
	}
	t.Logf("%d kills spread around the write at %v: %v", kills, writtenAt, outcomes)
}

// TestFaultSignalled checks that SIGINT and SIGTERM end a run whose AWS call hangs, without
// waiting for the call's timeout, and leave the previous file alone.
func TestFaultSignalled(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		for _, op := range []string{"ssm:GetParameters", "kms:Decrypt"} {
			t.Run(sig.String()+"/"+op, func(t *testing.T) {
				t.Parallel()
				f := newFixture(t)
				// One secret: one call of each operation, so that any later request would be a retry.
				writeFiles(t, f.workspace, map[string]string{
					".github/secret-baker.yml": verifiedSpec(t, f, 1),
					baked.DefaultName:          "previous\n",
				})
				gate := testbed.NewGate(op)
				f.proxy.SetFault(gate.Hold)
				t.Cleanup(gate.Open)
				p := startProgram(t, f.workspace, f.proxy.Env(region))

				select {
				case <-gate.Arrived():
				case <-p.done:
					t.Fatalf("the run ended (exit %d) without calling %s\nstderr:\n%s", p.res.code, op, p.res.stderr)
				}
				held := f.proxy.Calls(op)
				if err := p.cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				res := p.wait()

				if res.code <= 0 {
					t.Errorf("exit code %d after %v, want a failure the program reports itself", res.code, sig)
				}
				if !strings.Contains(res.stderr, "canceled") {
					t.Errorf("stderr does not say the run was canceled:\n%s", res.stderr)
				}
				// A call that ended by timing out would have been retried.
				if got := f.proxy.Calls(op); got != held {
					t.Errorf("%s requests: %d when signalled, %d at exit: the call was retried", op, held, got)
				}
				if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
					t.Errorf("previous file changed to %q", data)
				}
			})
		}
	}
}
