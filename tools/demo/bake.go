package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// shownEntry is the entry of the baked file the demo shows.
const shownEntry = "DB_PASSWORD"

// bake runs a bake and a verify pinned to the file's digest, and shows one
// entry of the file, its ciphertext shortened.
func (d *demo) bake(ctx context.Context) error {
	d.heading("1. bake: read 4 SecureStrings without decrypting them, check each with KMS and its validators, write only ciphertext")
	proxy, err := d.proxy()
	if err != nil {
		return err
	}
	defer proxy.Close()
	if err := d.mustSucceed(ctx, proxy, "--config", specName); err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(d.workDir, baked.DefaultName))
	if err != nil {
		return err
	}
	if err := d.mustSucceed(ctx, proxy, "verify", "--config", specName, "--file", baked.DefaultName, "--expected-digest", baked.Digest(data)); err != nil {
		return err
	}
	fmt.Fprintln(d.out, "every check passed (exit 0, twice): each secret decrypted under "+keyAlias+", API_TOKEN matched its regex,")
	fmt.Fprintln(d.out, "SERVICE_CONFIG its JSON Schema; verify also found each ciphertext byte for byte in SSM at its version")
	fmt.Fprintf(d.out, "AWS calls: %s\n", callCounts(proxy))

	file, err := baked.Parse(data)
	if err != nil {
		return err
	}
	entry, ok := file[shownEntry]
	if !ok {
		return fmt.Errorf("the baked file has no %s", shownEntry)
	}
	entry.Ciphertext = shorten(entry.Ciphertext)
	shown, err := json.MarshalIndent(map[string]baked.Entry{shownEntry: entry}, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "one entry of %s (%d entries), ciphertext shortened:\n%s\n", filepath.Join(d.workDir, baked.DefaultName), len(file), shown)
	return nil
}

// mustSucceed runs the binary and fails unless it exits 0.
func (d *demo) mustSucceed(ctx context.Context, proxy *testbed.Proxy, args ...string) error {
	code, err := d.secretBaker(ctx, proxy, args...)
	if err == nil && code != 0 {
		err = fmt.Errorf("secret-baker exited %d", code)
	}
	return err
}

// shorten keeps the start and the end of a base64 ciphertext and says how
// long it is.
func shorten(ciphertext string) string {
	if len(ciphertext) <= 32 {
		return ciphertext
	}
	return fmt.Sprintf("%s...%s (%d base64 characters)", ciphertext[:16], ciphertext[len(ciphertext)-8:], len(ciphertext))
}

// callCounts lists the AWS calls the proxy counted, by operation.
func callCounts(proxy *testbed.Proxy) string {
	calls := proxy.CallsTotal()
	var counts []string
	for _, op := range slices.Sorted(maps.Keys(calls)) {
		counts = append(counts, fmt.Sprintf("%d %s", calls[op], op))
	}
	return strings.Join(counts, ", ")
}
