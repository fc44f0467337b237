package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/testbed"
)

func TestMain(m *testing.M) {
	testbed.Main(m)
}

// TestDemo runs the demo with the secret-baker program built from this
// module and checks the shape of its story: four steps, a failure located at
// the spec's file:line:col, the reader's cold start decrypting with one KMS
// call per secret and none when warm, the stale secret named, and no secret
// value anywhere.
func TestDemo(t *testing.T) {
	emu := testbed.Shared(t)
	binary := filepath.Join(t.TempDir(), "secret-baker")
	build := exec.Command(testbed.Program(t, "go"), "build", "-o", binary, "github.com/org/secret-baker")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("failed to build secret-baker: %v\n%s", err, out)
	}
	specDir := filepath.Join("..", "..", "testdata", "demo")
	var out bytes.Buffer
	d := &demo{binary: binary, specDir: specDir, workDir: t.TempDir(), emu: emu, out: &out}
	if err := d.run(context.Background()); err != nil {
		t.Fatalf("demo: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()

	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^==> 1\. bake`),
		regexp.MustCompile(`(?m)^==> 2\. `),
		regexp.MustCompile(`(?m)^==> 3\. `),
		regexp.MustCompile(`(?m)^==> 4\. drift`),
		regexp.MustCompile(`(?m)^\s+"ciphertext": "[A-Za-z0-9+/]{16}\.\.\.[A-Za-z0-9+/=]{8} \(\d+ base64 characters\)",$`),
		regexp.MustCompile(`(?m)^secret-baker: secret-baker\.yml:\d+:\d+: secret "DB_CONFIG" .*/port: got string, want integer`),
		regexp.MustCompile(`(?m)^cold start: 4 secrets decrypted with 4 KMS Decrypt calls in `),
		regexp.MustCompile(`(?m)^warm invocation: all 4 secrets again, 0 more KMS calls$`),
		regexp.MustCompile(`(?m)are stale: "DB_PASSWORD"$`),
	} {
		if !want.MatchString(got) {
			t.Errorf("demo output lacks %s:\n%s", want, got)
		}
	}

	raw, err := os.ReadFile(filepath.Join(specDir, "parameters.json"))
	if err != nil {
		t.Fatal(err)
	}
	var params []parameter
	if err := json.Unmarshal(raw, &params); err != nil {
		t.Fatal(err)
	}
	values := []string{rotatedValue}
	for _, p := range params {
		values = append(values, p.Value)
	}
	for _, value := range values {
		if strings.Contains(got, value) {
			t.Errorf("demo output holds the value of a secret:\n%s", got)
		}
	}
}
