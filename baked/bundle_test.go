package baked_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/bakedtest"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// bundleValues are 200 secrets of 100 bytes, two-byte characters, so that a
// chunk's edge may fall inside one: several chunks.
func bundleValues() map[string]string {
	values := map[string]string{}
	for i := range 200 {
		values[fmt.Sprintf("SECRET_%03d", i)] = fmt.Sprintf("%03d", i) + strings.Repeat("é", 48) + "x"
	}
	return values
}

// openBundle opens fx's file through a proxy that counts KMS calls.
func openBundle(t *testing.T, fx *bakedtest.Fixture) (*testbed.Proxy, *baked.Secrets) {
	t.Helper()
	p := testbed.Shared(t).Proxy(t)
	s, err := baked.Open(fx.Path, kms.NewFromConfig(p.AWSConfig(region)))
	if err != nil {
		t.Fatal(err)
	}
	return p, s
}

func TestBundleOneDecryptPerChunk(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fx := bakedtest.BakeBundle(t, testbed.Shared(t), region, bundleValues())
	chunks := len(fx.Document.Bundle.Chunks)
	if chunks < 2 {
		t.Fatalf("%d chunks, want several", chunks)
	}
	for _, first := range []string{"DecryptAll", "Get"} {
		t.Run(first, func(t *testing.T) {
			p, s := openBundle(t, fx)
			if first == "DecryptAll" {
				if err := s.DecryptAll(ctx); err != nil {
					t.Fatal(err)
				}
			}
			for _, name := range fx.Names() {
				if got, err := s.Get(ctx, name); err != nil || got != fx.Values[name] {
					t.Fatalf("Get(%s) = the seeded value %t, %v", name, got == fx.Values[name], err)
				}
			}
			if err := s.DecryptAll(ctx); err != nil {
				t.Fatal(err)
			}
			if got := p.Calls("kms:Decrypt"); got != chunks {
				t.Errorf("%d KMS Decrypt calls, want %d, one per chunk", got, chunks)
			}
		})
	}
}

func TestBundleStaleRefused(t *testing.T) {
	t.Parallel()
	fx := bakedtest.BakeBundle(t, testbed.Shared(t), region, bakedtest.Values)
	e := fx.File["DB_PASSWORD"]
	e.Version++ // a newer version baked beside the old bundle
	fx.File["DB_PASSWORD"] = e
	fx.Write(t)
	_, err := baked.Open(fx.Path, nil)
	var fe *baked.FormatError
	if !errors.As(err, &fe) || fe.Kind != "bundle" {
		t.Fatalf("Open() error = %v, want a FormatError of kind bundle", err)
	}
}

func TestBundleTamperedRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu := testbed.Shared(t)
	values := bundleValues()
	for name, tamper := range map[string]func(fx *bakedtest.Fixture){
		"chunks swapped": func(fx *bakedtest.Fixture) {
			c := fx.Document.Bundle.Chunks
			c[0], c[1] = c[1], c[0]
		},
		"chunk dropped": func(fx *bakedtest.Fixture) {
			fx.Document.Bundle.Chunks = fx.Document.Bundle.Chunks[1:]
		},
		"plaintext lacks a secret": func(fx *bakedtest.Fixture) {
			fx.Document.Bundle = bakedtest.SealBundle(t, emu, region, fx.File, []byte(`{"SECRET_000":"a"}`))
		},
		"plaintext holds a value twice": func(fx *bakedtest.Fixture) {
			var b bytes.Buffer
			b.WriteString(`{"SECRET_000":"a"`)
			for _, name := range fx.Names() {
				fmt.Fprintf(&b, ",%q:\"b\"", name)
			}
			b.WriteString("}")
			fx.Document.Bundle = bakedtest.SealBundle(t, emu, region, fx.File, b.Bytes())
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fx := bakedtest.BakeBundle(t, emu, region, values)
			tamper(fx)
			fx.Write(t)
			p, s := openBundle(t, fx)
			for _, err := range []error{s.DecryptAll(ctx), func() error { _, err := s.Get(ctx, "SECRET_001"); return err }()} {
				if err == nil {
					t.Fatal("the tampered bundle was decrypted")
				}
				if strings.Contains(err.Error(), "ééé") {
					t.Errorf("error shows a value: %v", err)
				}
			}
			if got := p.Calls("kms:Decrypt"); got > 2*len(fx.Document.Bundle.Chunks) {
				t.Errorf("%d KMS Decrypt calls: entries decrypted one by one", got)
			}
		})
	}
}

func TestBundleHelpers(t *testing.T) {
	t.Parallel()
	list := []baked.BundleSecret{{Name: "A", ARN: "arn:a", Version: "3"}, {Name: "DB", ARN: "arn:db", Version: "v-1"}}
	// printf 'A\narn:a\n3\nDB\narn:db\nv-1\n' | sha256sum
	if got, want := baked.BundleDigest(list), "sha256:fab6088bbcecf7824320f47207064498a0436fa87df60d4fbcb20df5742fbeb0"; got != want {
		t.Errorf("BundleDigest() = %s, want %s", got, want)
	}
	if got := baked.BundleContext("sha256:x", 2, 5); got[baked.BundleContextDigest] != "sha256:x" || got[baked.BundleContextChunk] != "2/5" || len(got) != 2 {
		t.Errorf("BundleContext() = %v", got)
	}
	f := baked.File{
		"DB": {ARN: "arn:db", Ciphertext: "AQ==", SecretID: "db", VersionID: "v-1", Context: baked.SealedContext("arn:db", "v-1", "")},
		"A":  {ARN: "arn:a", Ciphertext: "AQ==", Version: 3},
	}
	if got := baked.BundleList(f); !slices.Equal(got, list) {
		t.Errorf("BundleList() = %v, want %v", got, list)
	}
	text := []byte(strings.Repeat("é", 5))
	chunks := baked.SplitBundle(text, 3)
	if len(chunks) != 4 || !bytes.Equal(bytes.Join(chunks, nil), text) || len(chunks[0]) != 3 {
		t.Errorf("SplitBundle() = %q", chunks)
	}
	d := baked.Document{Entries: f, Bundle: &baked.Bundle{Secrets: list, Digest: baked.BundleDigest(list), Key: "k", Chunks: []string{"AQ=="}}}
	data, err := d.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("{\n  \"$bundle\": {\n    \"secrets\": [")) {
		t.Errorf("Marshal() = %s", data)
	}
	got, err := baked.ParseFile(data)
	if err != nil {
		t.Fatal(err)
	}
	again, err := got.Marshal()
	if err != nil || !bytes.Equal(again, data) {
		t.Errorf("Marshal(ParseFile(Marshal())) differs: %v\n%s", err, again)
	}
}
