package cli

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/org/secret-baker/baked"
)

// bakeAndEdit bakes spec without verifying, then rewrites the baked file
// with edit.
func bakeAndEdit(t *testing.T, f *fixture, spec string, edit func(baked.File)) {
	t.Helper()
	writeFiles(t, f.workspace, map[string]string{specPath: spec})
	if got := f.run(t, nil, "--verify=false"); got.code != 0 {
		t.Fatalf("bake: exit %d: %s", got.code, got.stderr)
	}
	file := f.readBaked(t)
	edit(file)
	data, err := file.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, f.workspace, map[string]string{baked.DefaultName: string(data)})
}

// TestDriftJudgesBySpec: a file that records a version pin or a label for a
// secret the spec declares unpinned is stale when SSM holds a newer version.
func TestDriftJudgesBySpec(t *testing.T) {
	t.Parallel()
	for _, recorded := range []string{":1", ":live"} {
		t.Run(recorded, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			a := f.put(t, "/a", "v1")
			bakeAndEdit(t, f, "secrets:\n  A: "+a+"\n", func(file baked.File) {
				e := file["A"]
				e.Parameter += recorded
				file["A"] = e
			})
			f.put(t, "/a", "v2")
			got, outputs, _, _ := runDriftCommand(t, f, true, nil)
			if got.code != 0 || !strings.Contains(got.stdout, `1 of 1 secret(s) in secret-baker-secrets.json are stale: "A"`) || !strings.Contains(outputs, "\ntrue\n") {
				t.Errorf("exit %d, stdout:\n%s\noutputs:\n%s\nwant A stale", got.code, got.stdout, outputs)
			}
		})
	}
}

// TestUndeclaredEntriesReachNothing: entries that only the file declares are
// neither read from SSM nor decrypted, and no output, annotation, summary or
// log line names them or their parameters; the mismatch is the finding.
func TestUndeclaredEntriesReachNothing(t *testing.T) {
	t.Parallel()
	for _, command := range []string{"verify", "drift"} {
		t.Run(command, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			a, hidden := f.put(t, "/a", "va"), f.put(t, "/hidden-param", "vh")
			bakeAndEdit(t, f, "secrets:\n  A: "+a+"\n  HIDDEN_NAME: "+hidden+"\n", func(baked.File) {})
			writeFiles(t, f.workspace, map[string]string{specPath: "secrets:\n  A: " + a + "\n"})
			var asked atomic.Bool
			f.proxy.SetFault(func(_ string, _ http.ResponseWriter, r *http.Request) bool {
				body, _ := io.ReadAll(r.Body)
				r.Body = io.NopCloser(bytes.NewReader(body))
				if bytes.Contains(body, []byte("hidden-param")) {
					asked.Store(true)
				}
				return false
			})
			r := newRunner(t, f, map[string]string{"command": command, "file": baked.DefaultName})
			got := f.run(t, r.env)
			f.proxy.SetFault(nil)
			if got.code != 1 || !strings.Contains(got.stdout, "the baked file holds 1 secret(s) that the spec does not declare") {
				t.Errorf("exit %d, stdout:\n%s\nwant the mismatch as the finding", got.code, got.stdout)
			}
			if asked.Load() {
				t.Error("an AWS call names the undeclared parameter")
			}
			for what, text := range map[string]string{"stdout": got.stdout, "stderr": got.stderr, "outputs": r.read(t, "output"), "summary": r.read(t, "summary")} {
				if strings.Contains(text, "HIDDEN_NAME") || strings.Contains(text, "hidden-param") {
					t.Errorf("%s names the undeclared entry:\n%s", what, text)
				}
			}
			if n := f.proxy.Calls("kms:Decrypt"); command == "verify" && n != 1 {
				t.Errorf("kms:Decrypt calls = %d, want 1 (A only)", n)
			}
		})
	}
}

// TestAccountGuardHoldsSSMsAnswers: a file whose ARNs were rewritten to name
// an allowed account is refused by the ARNs SSM answers, before any KMS call,
// by verify and drift alike.
func TestAccountGuardHoldsSSMsAnswers(t *testing.T) {
	t.Parallel()
	const allowed = "111122223333"
	for _, command := range []string{"verify", "drift"} {
		t.Run(command, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			a := f.put(t, "/a", "va")
			bakeAndEdit(t, f, "secrets:\n  A: "+a+"\n", func(file baked.File) {
				e := file["A"]
				e.ARN = strings.Replace(e.ARN, ":123456789012:", ":"+allowed+":", 1)
				file["A"] = e
			})
			got := f.run(t, nil, command, "--file", baked.DefaultName, "--allowed-account-ids", allowed)
			if got.code != 1 || !strings.Contains(got.stderr, "account 123456789012 of the parameter ARNs SSM returned is not in allowed-account-ids") {
				t.Errorf("exit %d, stderr:\n%s\nwant the account SSM answers refused", got.code, got.stderr)
			}
			if n := f.proxy.Calls("kms:Decrypt"); n != 0 {
				t.Errorf("kms:Decrypt calls = %d, want 0", n)
			}
		})
	}
}

// TestDriftComparesARNs: drift refuses an entry whose ARN is not the one SSM
// answers, such as another partition's, rather than calling it current.
func TestDriftComparesARNs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.put(t, "/a", "va")
	bakeAndEdit(t, f, "secrets:\n  A: "+a+"\n", func(file baked.File) {
		e := file["A"]
		e.ARN = strings.Replace(e.ARN, "arn:aws:", "arn:aws-us-gov:", 1)
		file["A"] = e
	})
	got, outputs, _, _ := runDriftCommand(t, f, true, map[string]string{"allowed-account-ids": "123456789012"})
	if got.code != 1 || !strings.Contains(got.stdout, "is not the one SSM answers") || !strings.Contains(outputs, "\nfalse\n") {
		t.Errorf("exit %d, stdout:\n%s\noutputs:\n%s\nwant A refused and nothing stale", got.code, got.stdout, outputs)
	}
}
