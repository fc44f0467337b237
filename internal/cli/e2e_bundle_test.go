package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
)

// bundleSpec seeds n secrets of size bytes and returns a spec that bundles
// them under the fixture's key.
func bundleSpec(t *testing.T, f *fixture, n, size int) string {
	t.Helper()
	var spec strings.Builder
	spec.WriteString("kms-key-id: " + f.keyAlias + "\nbundle: true\nsecrets:\n")
	for i := range n {
		fmt.Fprintf(&spec, "  S%03d: %s\n", i, f.put(t, fmt.Sprintf("/s%03d", i), fmt.Sprintf("%03d-%s", i, strings.Repeat("v", size-4))))
	}
	return spec.String()
}

// TestBundle bakes 200 secrets of 100 bytes with a bundle: the bundle is
// chunked past 4 KiB and sealed from the values verification decrypted, a
// second bake gives the same bytes with no Encrypt, the Go reader decrypts
// every secret with exactly one KMS call per chunk and none per secret, and
// verify checks the bundle against the entries it decrypted.
func TestBundle(t *testing.T) {
	t.Parallel()
	const n = 200
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{specPath: bundleSpec(t, f, n, 100)})
	// The calls the program chose to make, the SDK's retries left out.
	chosen := f.proxy.ChosenCalls
	before := chosen()
	f.mustRun(t, nil)
	first := f.readOutput(t, baked.DefaultName)
	doc, err := baked.ParseFile(first)
	if err != nil {
		t.Fatal(err)
	}
	chunks := len(doc.Bundle.Chunks)
	if doc.Bundle == nil || chunks < 5 || len(doc.Bundle.Secrets) != n {
		t.Fatalf("bundle = %+v, want %d secrets in at least 5 chunks", doc.Bundle, n)
	}
	wantKMS := func(run string, calls map[string]int, decrypts, encrypts int) {
		t.Helper()
		if calls["kms:Decrypt"] != decrypts || calls["kms:Encrypt"] != encrypts {
			t.Errorf("%s: %d Decrypt and %d Encrypt, want %d and %d", run, calls["kms:Decrypt"], calls["kms:Encrypt"], decrypts, encrypts)
		}
	}
	// Verification decrypts each secret once; the bundle is sealed from those values.
	wantKMS("the first bake", delta(before, chosen()), n, chunks)

	before = chosen()
	f.mustRun(t, nil)
	if again := f.readOutput(t, baked.DefaultName); string(again) != string(first) {
		t.Errorf("a second bake of unchanged versions changed the file")
	}
	// The previous bundle is opened to compare, and reused.
	wantKMS("the second bake", delta(before, chosen()), n+chunks, 0)

	before = chosen()
	secrets, err := baked.Open(filepath.Join(f.workspace, baked.DefaultName), kms.NewFromConfig(f.proxy.AWSConfig(region)))
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		name := fmt.Sprintf("S%03d", i)
		if got, err := secrets.Get(t.Context(), name); err != nil || !strings.HasPrefix(got, fmt.Sprintf("%03d-", i)) {
			t.Fatalf("Get(%s): %v", name, err)
		}
	}
	if calls := delta(before, chosen()); calls["kms:Decrypt"] != chunks || len(calls) != 1 {
		t.Errorf("the reader's calls = %v, want exactly %d kms:Decrypt, one per chunk", calls, chunks)
	}

	before = chosen()
	if got := f.run(t, nil, "verify", "--file", baked.DefaultName); got.code != 0 {
		t.Errorf("verify: exit %d: %s", got.code, got.stderr)
	}
	wantKMS("verify", delta(before, chosen()), n+chunks, 0)

	// A spec that requires no key: verification decrypts under whatever key,
	// so the bundle's check decrypts every entry again, under the bundle's.
	spec := f.readOutput(t, specPath)
	noKey := strings.Replace(strings.Replace(string(spec), "kms-key-id: "+f.keyAlias+"\n", "", 1), "bundle: true\n", "", 1)
	writeFiles(t, f.workspace, map[string]string{specPath: noKey})
	before = chosen()
	if got := f.run(t, nil, "verify", "--file", baked.DefaultName); got.code != 0 {
		t.Errorf("verify with no key required: exit %d: %s", got.code, got.stderr)
	}
	wantKMS("verify with no key required", delta(before, chosen()), 2*n+chunks, 0)
}

// TestBundleRefused: verify and the reader refuse a bundle whose chunks were
// swapped or taken from another bake; a bundle without a key is refused
// before any AWS call.
func TestBundleRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{specPath: bundleSpec(t, f, 60, 100)})
	f.mustRun(t, nil)
	doc, err := baked.ParseFile(f.readOutput(t, baked.DefaultName))
	if err != nil {
		t.Fatal(err)
	}
	c := doc.Bundle.Chunks
	c[0], c[1] = c[1], c[0]
	data, err := doc.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, f.workspace, map[string]string{baked.DefaultName: string(data)})
	got := f.run(t, nil, "verify", "--file", baked.DefaultName)
	if got.code != 1 || !strings.Contains(got.stderr, "the bundle does not hold the entries' values") {
		t.Errorf("verify of swapped chunks: exit %d\n%s", got.code, got.stderr)
	}
	secrets, err := baked.Open(filepath.Join(f.workspace, baked.DefaultName), kms.NewFromConfig(f.proxy.AWSConfig(region)))
	if err == nil {
		_, err = secrets.Get(t.Context(), "S000")
	}
	if err == nil {
		t.Error("the reader decrypted a bundle with swapped chunks")
	}

	offline := newOfflineFixture(t)
	writeFiles(t, offline.workspace, map[string]string{specPath: "bundle: true\nsecrets:\n  A: /a\n"})
	if got := offline.run(t, nil); got.code != 1 || !strings.Contains(got.stderr, specPath+":1:9: a bundle needs kms-key-id") {
		t.Errorf("spec bundle without a key: exit %d\n%s", got.code, got.stderr)
	}
	writeFiles(t, offline.workspace, map[string]string{specPath: "secrets:\n  A: /a\n"})
	if got := offline.run(t, nil, "--bundle=true"); got.code != 2 || !strings.Contains(got.stderr, "input bundle: a bundle needs kms-key-id") {
		t.Errorf("input bundle without a key: exit %d\n%s", got.code, got.stderr)
	}
}

// TestBundleTooLarge: values that take more than the 64 chunks a bundle
// holds (70 secrets of 4,000 bytes) are refused at the spec's bundle line
// before any Encrypt, and no file is written, as every reader would refuse
// it.
func TestBundleTooLarge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	writeFiles(t, f.workspace, map[string]string{specPath: bundleSpec(t, f, 70, 4000)})
	before := f.proxy.CallsTotal()
	got := f.run(t, nil)
	if got.code != 1 || !strings.Contains(got.stderr, specPath+":2:9: the values take more than the 64 chunks of 4096 bytes a bundle holds") {
		t.Errorf("exit %d, want 1 and the refusal at the bundle line:\n%s", got.code, got.stderr)
	}
	if calls := delta(before, f.proxy.CallsTotal()); calls["kms:Encrypt"] != 0 {
		t.Errorf("made %d kms:Encrypt, want none", calls["kms:Encrypt"])
	}
	if _, err := os.Stat(filepath.Join(f.workspace, baked.DefaultName)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the baked file: %v, want none written", err)
	}
}
