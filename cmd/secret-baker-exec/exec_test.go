package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/bakedtest"
	"github.com/org/secret-baker/internal/testing/leakcheck"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestWrapper runs the built wrapper end to end on the emulator, in front of
// a stand-in runtime that prints digests of the variables it sees.
func TestWrapper(t *testing.T) {
	t.Parallel()
	wrapper := buildWrapper(t)

	t.Run("sets every secret and execs the command line unchanged", func(t *testing.T) {
		t.Parallel()
		h, fx := newHarness(t, wrapper, bakedtest.Values)
		args := []string{"--handler", "app.handler", "", "two words", "ü"}
		vars := append(fx.Names(), "KEPT")
		r := h.run(vars, []string{"KEPT=from the configuration"}, args...)
		want := maps.Clone(fx.Values)
		want["KEPT"] = "from the configuration"
		h.ran(r, args, vars, want)
		if got := h.proxy.CallsTotal(); !maps.Equal(got, map[string]int{"kms:Decrypt": len(fx.Values)}) {
			t.Errorf("AWS calls %v, want one kms:Decrypt per secret (%d)", got, len(fx.Values))
		}
		leakcheck.New(slices.Collect(maps.Values(fx.Values))...).AssertNone(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr})
	})

	t.Run("a bundle: one kms:Decrypt per chunk, none per secret", func(t *testing.T) {
		t.Parallel()
		h, _ := newHarness(t, wrapper, map[string]string{"UNUSED": "x"})
		fx := bakedtest.BakeBundle(t, testbed.Shared(t), region, bakedtest.Values)
		h.taskDir = fx.Dir
		data, err := os.ReadFile(fx.Path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := baked.ParseFile(data)
		if err != nil || doc.Bundle == nil {
			t.Fatalf("no bundle in the fixture: %v", err)
		}
		r := h.run(fx.Names(), nil)
		h.ran(r, nil, fx.Names(), fx.Values)
		if got := h.proxy.CallsTotal(); !maps.Equal(got, map[string]int{"kms:Decrypt": len(doc.Bundle.Chunks)}) {
			t.Errorf("AWS calls %v, want one kms:Decrypt per chunk (%d)", got, len(doc.Bundle.Chunks))
		}
	})

	t.Run("SECRET_BAKER_FILE and SECRET_BAKER_ENV_PREFIX", func(t *testing.T) {
		t.Parallel()
		h, fx := newHarness(t, wrapper, map[string]string{"DB_PASSWORD": randomValue(t)})
		file := fx.Path
		h.taskDir = t.TempDir() // no baked file there
		r := h.run([]string{"APP_DB_PASSWORD", "DB_PASSWORD"}, []string{"SECRET_BAKER_FILE=" + file, "SECRET_BAKER_ENV_PREFIX=APP_"})
		h.ran(r, nil, []string{"APP_DB_PASSWORD", "DB_PASSWORD"}, map[string]string{"APP_DB_PASSWORD": fx.Values["DB_PASSWORD"]})
	})

	t.Run("SECRET_BAKER_ENV_OVERRIDE=true replaces a variable already set", func(t *testing.T) {
		t.Parallel()
		h, fx := newHarness(t, wrapper, map[string]string{"DB_PASSWORD": randomValue(t)})
		r := h.run([]string{"DB_PASSWORD"}, []string{"DB_PASSWORD=configured", "SECRET_BAKER_ENV_OVERRIDE=true"})
		h.ran(r, nil, []string{"DB_PASSWORD"}, fx.Values)
	})

	t.Run("refuses", func(t *testing.T) {
		t.Parallel()
		h, fx := newHarness(t, wrapper, map[string]string{"SECRET": randomValue(t)})
		entry := fx.File["SECRET"]
		for _, tc := range []struct {
			names []string // the secrets of the file, all with the entry of SECRET
			env   []string
			want  string // in the message, beside each secret's name
		}{
			{[]string{"DB.PASSWORD"}, nil, "not a valid environment variable name"},
			{[]string{"db-password"}, nil, "not a valid environment variable name"},
			{[]string{"app/key"}, nil, "not a valid environment variable name"},
			{[]string{"1KEY"}, nil, "not a valid environment variable name"},
			{[]string{"KEY"}, []string{"SECRET_BAKER_ENV_PREFIX=1"}, "not a valid environment variable name"},
			{[]string{"KEY"}, []string{"SECRET_BAKER_ENV_PREFIX=APP-"}, "not a valid environment variable name"},
			{[]string{"KEY"}, []string{"SECRET_BAKER_ENV_PREFIX=AWS_"}, "reserved"},
			{[]string{"AWS_REGION"}, nil, "reserved"},
			{[]string{"AWS_ACCESS_KEY_ID"}, nil, "reserved"},
			{[]string{"AWS_LAMBDA_EXEC_WRAPPER"}, nil, "reserved"},
			{[]string{"AWS_ANYTHING_NEW"}, nil, "reserved"},
			{[]string{"LAMBDA_TASK_ROOT"}, nil, "reserved"},
			{[]string{"LAMBDA_RUNTIME_DIR"}, nil, "reserved"},
			{[]string{"_HANDLER"}, nil, "reserved"},
			{[]string{"_X_AMZN_TRACE_ID"}, nil, "reserved"},
			{[]string{"_AWS_XRAY_DAEMON_ADDRESS"}, nil, "reserved"},
			{[]string{"_LAMBDA_SERVER_PORT"}, nil, "reserved"},
			{[]string{"TZ"}, nil, "reserved"},
			{[]string{"LANG"}, nil, "reserved"},
			{[]string{"PATH"}, []string{"SECRET_BAKER_ENV_OVERRIDE=true"}, "reserved"},
			{[]string{"LD_LIBRARY_PATH"}, nil, "reserved"},
			{[]string{"LD_PRELOAD"}, nil, "reserved"},
			{[]string{"NODE_PATH"}, nil, "reserved"},
			{[]string{"PYTHONPATH"}, nil, "reserved"},
			{[]string{"GEM_PATH"}, nil, "reserved"},
			{[]string{"JAVA_HOME"}, nil, "reserved"},
			{[]string{"DOTNET_ROOT"}, nil, "reserved"},
			{[]string{"NODE_OPTIONS"}, nil, "reserved"},
			{[]string{"JAVA_TOOL_OPTIONS"}, nil, "reserved"},
			{[]string{"DOTNET_STARTUP_HOOKS"}, nil, "reserved"},
			{[]string{"PRESENT"}, []string{"PRESENT=configured"}, "already set"},
			{[]string{"PRESENT"}, []string{"PRESENT="}, "already set"},
			{[]string{"KEY"}, []string{"SECRET_BAKER_ENV_PREFIX=APP_", "APP_KEY=configured"}, "already set"},
			{[]string{"PRESENT"}, []string{"PRESENT=configured", "SECRET_BAKER_ENV_OVERRIDE=false"}, "already set"},
			// One bad name refuses the whole file, every bad name is named.
			{[]string{"GOOD", "PATH", "bad-name", "PRESENT"}, []string{"PRESENT=x"}, ""},
		} {
			file := baked.File{}
			for _, n := range tc.names {
				file[n] = entry
			}
			h.freshProxy()
			r := h.run([]string{"GOOD"}, append([]string{"SECRET_BAKER_FILE=" + writeFile(t, file)}, tc.env...))
			var want []string
			for _, n := range tc.names {
				if n != "GOOD" {
					want = append(want, fmt.Sprintf("secret %q", n))
				}
			}
			h.refused(r, append(want, tc.want)...)
		}
	})

	t.Run("refuses SnapStart", func(t *testing.T) {
		t.Parallel()
		h, _ := newHarness(t, wrapper, map[string]string{"SECRET": randomValue(t)})
		r := h.run([]string{"SECRET"}, []string{"AWS_LAMBDA_INITIALIZATION_TYPE=snap-start"})
		h.refused(r, "SnapStart", `README, "Lambda SnapStart"`)
	})

	t.Run("refuses a bad setting, a missing file and no command", func(t *testing.T) {
		t.Parallel()
		h, _ := newHarness(t, wrapper, map[string]string{"SECRET": randomValue(t)})
		h.refused(h.run([]string{"SECRET"}, []string{"SECRET_BAKER_ENV_OVERRIDE=yes"}), "SECRET_BAKER_ENV_OVERRIDE must be true or false")
		h.refused(h.run([]string{"SECRET"}, []string{"SECRET_BAKER_FILE=" + t.TempDir() + "/none.json"}), "failed to read the baked file")
		h.refused(h.runWrapper(nil, nil, nil), "usage: secret-baker-exec COMMAND")
	})

	t.Run("a failed decrypt exits non-zero and leaks nothing", func(t *testing.T) {
		t.Parallel()
		values := map[string]string{"FIRST": randomValue(t), "TAMPERED": randomValue(t), "THIRD": randomValue(t)}
		h, fx := newHarness(t, wrapper, values)
		file := maps.Clone(fx.File)
		file["TAMPERED"] = tampered(t, file["TAMPERED"])
		r := h.run(fx.Names(), []string{"SECRET_BAKER_FILE=" + writeFile(t, file)})
		h.failed(r, `secret "TAMPERED"`, "InvalidCiphertextException")
		check := leakcheck.New(slices.Collect(maps.Values(values))...)
		check.AssertNone(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr}, h.tmp)

		h.freshProxy()
		h.proxy.SetFault(accessDenied)
		r = h.run(fx.Names(), nil)
		h.failed(r, `secret "FIRST"`, `secret "TAMPERED"`, `secret "THIRD"`, "AccessDeniedException")
		check.AssertNone(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr}, h.tmp)
	})
}

// TestWrapperBundleFailures: with a bundle, a tampered chunk and a refused
// chunk Decrypt each exit 1 before the runtime starts, naming the bundle and
// KMS's reason, and no value reaches any output or file.
func TestWrapperBundleFailures(t *testing.T) {
	t.Parallel()
	wrapper := buildWrapper(t)
	values := map[string]string{"FIRST": randomValue(t), "SECOND": randomValue(t)}
	h, _ := newHarness(t, wrapper, map[string]string{"UNUSED": "x"})
	fx := bakedtest.BakeBundle(t, testbed.Shared(t), region, values)
	doc := fx.Document
	bundle := *doc.Bundle
	bundle.Chunks = slices.Clone(bundle.Chunks)
	blob, err := base64.StdEncoding.DecodeString(bundle.Chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	blob[len(blob)/2] ^= 0x55
	bundle.Chunks[0] = base64.StdEncoding.EncodeToString(blob)
	doc.Bundle = &bundle
	data, err := doc.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), baked.DefaultName)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	check := leakcheck.New(slices.Collect(maps.Values(values))...)

	r := h.run(fx.Names(), []string{"SECRET_BAKER_FILE=" + path})
	h.failed(r, "bundle", "chunk 1 of 1", "InvalidCiphertextException")
	check.AssertNone(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr}, h.tmp)

	h.freshProxy()
	h.proxy.SetFault(accessDenied)
	r = h.run(fx.Names(), []string{"SECRET_BAKER_FILE=" + fx.Path})
	h.failed(r, "bundle", "AccessDeniedException")
	check.AssertNone(t, map[string]string{"stdout": r.stdout, "stderr": r.stderr}, h.tmp)
}

// ran fails the test unless r is the stand-in runtime's report, in the
// wrapper's own process, of args and of vars holding want's values (unset
// when want has none).
func (h *harness) ran(r wrapperRun, args, vars []string, want map[string]string) {
	h.t.Helper()
	if r.code != 0 || r.stderr != "" {
		h.t.Fatalf("exit code %d, stderr %q", r.code, r.stderr)
	}
	lookup := func(n string) (string, bool) { v, ok := want[n]; return v, ok }
	if exp := childReport(r.pid, args, vars, lookup); r.stdout != exp {
		h.t.Errorf("the runtime reported\n%s\nwant\n%s", r.stdout, exp)
	}
}

// tampered returns e with one byte of its ciphertext changed.
func tampered(t *testing.T, e baked.Entry) baked.Entry {
	t.Helper()
	blob, err := base64.StdEncoding.DecodeString(e.Ciphertext)
	if err != nil {
		t.Fatal(err)
	}
	blob[len(blob)/2] ^= 0x55
	e.Ciphertext = base64.StdEncoding.EncodeToString(blob)
	return e
}

// accessDenied answers every kms:Decrypt as KMS does when the role may not.
func accessDenied(op string, w http.ResponseWriter, _ *http.Request) bool {
	if op != "kms:Decrypt" {
		return false
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", "AccessDeniedException")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = io.WriteString(w, `{"__type":"AccessDeniedException","message":"not authorized to perform kms:Decrypt"}`)
	return true
}

// randomValue returns a distinctive value for the leak checker.
func randomValue(t *testing.T) string {
	t.Helper()
	return "value-" + rand.Text()
}
