package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// unlimited is a Chaos per-call limit no run reaches: throttling without any cap.
const unlimited = 1 << 30

// TestThrottlingNeverFailsARun runs 100 secrets ten times in a row with 30% of SSM and KMS
// requests throttled at random, each throttled call as often as chance has it: every run
// succeeds and writes the file a run without throttling writes, byte for byte.
func TestThrottlingNeverFailsARun(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "kms-key-id: " + f.keyAlias + "\n" + verifiedSpec(t, f, 100)})
	f.mustRun(t, nil)
	want := f.readOutput(t, baked.DefaultName)

	ops := []string{"ssm:GetParameters", "kms:Decrypt"}
	const rate, runs = 0.3, 10
	for run := range runs {
		writeFiles(t, f.workspace, map[string]string{baked.DefaultName: "previous\n"})
		chaos := testbed.NewChaos(uint64(run+1), unlimited)
		f.proxy.SetFault(chaos.Fail(rate, ops, testbed.Throttling))
		got := f.run(t, nil)
		if got.code != 0 {
			t.Fatalf("run %d: exit %d\nstderr:\n%s", run, got.code, got.stderr)
		}
		if data := f.readOutput(t, baked.DefaultName); !bytes.Equal(data, want) {
			t.Errorf("run %d: baked file differs from the run without throttling", run)
		}
		for _, op := range ops {
			if chaos.InjectedFor(op) == 0 {
				t.Errorf("run %d: no throttling injected into %s", run, op)
			}
		}
		t.Logf("run %d: throttled %d GetParameters, %d Decrypt", run, chaos.InjectedFor(ops[0]), chaos.InjectedFor(ops[1]))
	}
}

// TestHeavyThrottlingFailsOnlyForTheSecret runs with 60% of every request throttled and one
// secret that KMS refuses (under the AWS managed key): the run fails for that secret, with its
// finding, never for throttling.
func TestHeavyThrottlingFailsOnlyForTheSecret(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	managed := f.prefix + "/managed"
	if _, err := f.seeder.PutSecureString(context.Background(), managed, "v", ""); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, f.workspace, map[string]string{
		".github/secret-baker.yml": verifiedSpec(t, f, 20) + fmt.Sprintf("  MANAGED: %s\n", managed),
		baked.DefaultName:          "previous\n",
	})
	chaos := testbed.NewChaos(7, unlimited)
	f.proxy.SetFault(chaos.Fail(0.6, nil, testbed.Throttling))

	got := f.run(t, nil)

	if got.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", got.code, got.stderr)
	}
	if !strings.Contains(got.stderr, `secret "MANAGED"`) || !strings.Contains(got.stderr, "encrypted with the AWS managed key") {
		t.Errorf("stderr does not report MANAGED's refusal:\n%s", got.stderr)
	}
	for _, bad := range []string{"ThrottlingException", "Rate exceeded", "maximum number of attempts"} {
		if strings.Contains(got.stderr, bad) {
			t.Errorf("stderr mentions %q: throttling failed the run\n%s", bad, got.stderr)
		}
	}
	if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
		t.Errorf("previous file changed to %q", data)
	}
	for inj, n := range chaos.Injected() {
		t.Logf("throttled %s %d times", inj.Op, n)
	}
}

// TestFailuresStopAfterFiveAttempts checks by counting that a call failing other than by
// throttling gives up after 5 attempts: an endpoint answering 503 to everything fails a run of
// one secret after 5 GetParameters requests.
func TestFailuresStopAfterFiveAttempts(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": verifiedSpec(t, f, 1)})
	f.proxy.SetFault(testbed.NewChaos(1, unlimited).Fail(1, nil, testbed.Unavailable))

	got := f.run(t, nil)

	if got.code != 1 {
		t.Fatalf("exit %d, want 1\nstderr:\n%s", got.code, got.stderr)
	}
	if n := f.proxy.Calls("ssm:GetParameters"); n != retryMaxAttempts {
		t.Errorf("%d GetParameters requests, want %d", n, retryMaxAttempts)
	}
	if want := fmt.Sprintf("exceeded maximum number of attempts, %d", retryMaxAttempts); !strings.Contains(got.stderr, want) {
		t.Errorf("stderr does not say %q:\n%s", want, got.stderr)
	}
}
