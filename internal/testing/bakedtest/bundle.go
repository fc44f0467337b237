package bakedtest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// BakeBundle bakes values as Bake does and writes the file with a bundle of
// them (SealBundle); the Fixture's Document holds both.
func BakeBundle(t testing.TB, emu *testbed.Emulator, region string, values map[string]string) *Fixture {
	t.Helper()
	fx := Bake(t, emu, region, values)
	plaintext, err := json.Marshal(values)
	if err != nil {
		t.Fatal(err)
	}
	fx.Document = baked.Document{Entries: fx.File, Bundle: SealBundle(t, emu, region, fx.File, plaintext)}
	fx.Write(t)
	return fx
}

// SealBundle returns the bundle of the entries f whose plaintext is the given
// one, split into chunks of baked.MaxBundleChunkSize bytes, each encrypted
// with KMS Encrypt under the key recorded in f with its
// baked.BundleContext, as a bake seals one.
func SealBundle(t testing.TB, emu *testbed.Emulator, region string, f baked.File, plaintext []byte) *baked.Bundle {
	t.Helper()
	list := baked.BundleList(f)
	b := &baked.Bundle{Secrets: list, Digest: baked.BundleDigest(list), Key: f[list[0].Name].KeyARN}
	chunks := baked.SplitBundle(plaintext, baked.MaxBundleChunkSize)
	seed := emu.Seeder(region)
	for i, chunk := range chunks {
		blob, err := seed.Encrypt(context.Background(), b.Key, chunk, baked.BundleContext(b.Digest, i+1, len(chunks)))
		if err != nil {
			t.Fatal(err)
		}
		b.Chunks = append(b.Chunks, base64.StdEncoding.EncodeToString(blob))
	}
	return b
}

// Write writes the fixture's Document, with its bundle, to its Path.
func (f *Fixture) Write(t testing.TB) {
	t.Helper()
	data, err := f.Document.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.Path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}
