package baked_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/bakedtest"
	"github.com/org/secret-baker/internal/testing/testbed"
)

const region = "eu-west-1"

// setup bakes values and returns the file, a proxy that counts KMS calls and
// the Secrets of the file, decrypted through the proxy.
func setup(t *testing.T) (*bakedtest.Fixture, *testbed.Proxy, *baked.Secrets) {
	t.Helper()
	emu := testbed.Shared(t)
	fx := bakedtest.Bake(t, emu, region, bakedtest.Values)
	p := emu.Proxy(t)
	s, err := baked.Open(fx.Path, kms.NewFromConfig(p.AWSConfig(region)))
	if err != nil {
		t.Fatal(err)
	}
	return fx, p, s
}

// holdFirstDecrypt makes p hold the first KMS Decrypt request, after closing
// arrived, until release is closed; later requests go through.
func holdFirstDecrypt(p *testbed.Proxy) (arrived, release chan struct{}) {
	arrived, release = make(chan struct{}), make(chan struct{})
	var n atomic.Int32
	p.SetFault(func(op string, _ http.ResponseWriter, _ *http.Request) bool {
		if op == "kms:Decrypt" && n.Add(1) == 1 {
			close(arrived)
			<-release
		}
		return false
	})
	return arrived, release
}

func TestGetDecryptsEveryEntryOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fx, p, s := setup(t)
	for round := 1; round <= 2; round++ {
		for _, name := range fx.Names() {
			got, err := s.Get(ctx, name)
			if err != nil {
				t.Fatalf("round %d: Get(%s): %v", round, name, err)
			}
			if got != fx.Values[name] {
				t.Errorf("round %d: Get(%s) is not the seeded value", round, name)
			}
			b, err := s.Bytes(ctx, name)
			if err != nil {
				t.Fatalf("round %d: Bytes(%s): %v", round, name, err)
			}
			if string(b) != fx.Values[name] {
				t.Errorf("round %d: Bytes(%s) is not the seeded value", round, name)
			}
			clear(b) // the caller's copy; the cache must not see it
		}
		if got, want := p.Calls("kms:Decrypt"), len(fx.Values); got != want {
			t.Errorf("after round %d: %d KMS Decrypt calls, want %d", round, got, want)
		}
	}
}

func TestConcurrentFirstLookupsShareOneCall(t *testing.T) {
	t.Parallel()
	fx, p, s := setup(t)
	arrived, release := holdFirstDecrypt(p)

	const lookups = 16
	results := make([]string, lookups)
	errs := make([]error, lookups)
	var started, done sync.WaitGroup
	started.Add(lookups)
	for i := range lookups {
		done.Go(func() {
			started.Done()
			results[i], errs[i] = s.Get(context.Background(), "DB_PASSWORD")
		})
	}
	started.Wait()
	<-arrived
	close(release)
	done.Wait()

	for i := range lookups {
		if errs[i] != nil {
			t.Fatalf("lookup %d: %v", i, errs[i])
		}
		if results[i] != fx.Values["DB_PASSWORD"] {
			t.Errorf("lookup %d is not the seeded value", i)
		}
	}
	if got := p.Calls("kms:Decrypt"); got != 1 {
		t.Errorf("%d KMS Decrypt calls, want 1", got)
	}
}

func TestLookupRetriesWhenTheSharedCallWasCanceled(t *testing.T) {
	t.Parallel()
	fx, p, s := setup(t)
	arrived, release := holdFirstDecrypt(p)
	defer close(release)

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := s.Get(ctx, "SIGNING_KEY")
		first <- err
	}()
	<-arrived
	second := make(chan string, 1)
	go func() {
		// Waits on the held call, or starts its own once that call has ended.
		v, err := s.Get(context.Background(), "SIGNING_KEY")
		if err != nil {
			t.Errorf("second lookup: %v", err)
		}
		second <- v
	}()
	cancel()

	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("first lookup: got %v, want context.Canceled", err)
	}
	if got := <-second; got != fx.Values["SIGNING_KEY"] {
		t.Error("second lookup is not the seeded value")
	}
	if got := p.Calls("kms:Decrypt"); got != 2 {
		t.Errorf("%d KMS Decrypt calls, want 2", got)
	}
}

func TestDecryptFailureIsNotCached(t *testing.T) {
	t.Parallel()
	fx, p, _ := setup(t)
	// Another ARN than the one SSM bound the ciphertext to.
	e := fx.File["DB_PASSWORD"]
	e.ARN += "-moved"
	s, err := baked.New(baked.File{"DB_PASSWORD": e}, kms.NewFromConfig(p.AWSConfig(region)))
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; attempt <= 2; attempt++ {
		_, err := s.Get(context.Background(), "DB_PASSWORD")
		var invalid *kmstypes.InvalidCiphertextException
		if !errors.As(err, &invalid) {
			t.Fatalf("attempt %d: got %v, want InvalidCiphertextException", attempt, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, `"DB_PASSWORD"`) {
			t.Errorf("attempt %d: error %q does not name the secret", attempt, msg)
		}
		if strings.Contains(msg, e.Ciphertext) {
			t.Errorf("attempt %d: error holds the ciphertext", attempt)
		}
	}
	if got := p.Calls("kms:Decrypt"); got != 2 {
		t.Errorf("%d KMS Decrypt calls, want 2: a failure must not be cached", got)
	}
}

func TestDecryptAll(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fx, p, _ := setup(t)
	file := baked.File{}
	for name, e := range fx.File {
		file[name] = e
	}
	bad := fx.File["CONFIG"]
	bad.ARN += "-moved"
	file["BROKEN"] = bad
	s, err := baked.New(file, kms.NewFromConfig(p.AWSConfig(region)))
	if err != nil {
		t.Fatal(err)
	}

	err = s.DecryptAll(ctx)
	var invalid *kmstypes.InvalidCiphertextException
	if !errors.As(err, &invalid) || !strings.Contains(err.Error(), `"BROKEN"`) {
		t.Fatalf("DecryptAll() = %v, want an InvalidCiphertextException for BROKEN", err)
	}
	if got, want := p.Calls("kms:Decrypt"), len(file); got != want {
		t.Errorf("DecryptAll made %d KMS Decrypt calls, want %d", got, want)
	}
	for _, name := range fx.Names() {
		got, err := s.Get(ctx, name)
		if err != nil {
			t.Fatalf("Get(%s): %v", name, err)
		}
		if got != fx.Values[name] {
			t.Errorf("Get(%s) is not the seeded value", name)
		}
	}
	if got, want := p.Calls("kms:Decrypt"), len(file); got != want {
		t.Errorf("lookups after DecryptAll made %d KMS Decrypt calls in all, want %d", got, want)
	}
}

// TestRecordedKey checks that the key a verified bake recorded is enforced by
// KMS, and that an entry without one (an unverified bake, or a file made by
// serverless-secret-baker) still decrypts.
func TestRecordedKey(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	fx := bakedtest.Bake(t, emu, region, map[string]string{"A": "value-a"})
	_, otherKey, err := emu.Seeder(region).CreateKey(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	client := kms.NewFromConfig(emu.AWSConfig(region))
	tests := []struct {
		name    string
		key     string
		wantErr bool
	}{
		{"recorded key", fx.File["A"].KeyARN, false},
		{"no recorded key", "", false},
		{"another key recorded", otherKey, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := fx.File["A"]
			e.KeyARN = tc.key
			s, err := baked.New(baked.File{"A": e}, client)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Get(context.Background(), "A")
			if tc.wantErr {
				var incorrect *kmstypes.IncorrectKeyException
				if !errors.As(err, &incorrect) {
					t.Fatalf("Get() error = %v, want IncorrectKeyException", err)
				}
				return
			}
			if err != nil || got != "value-a" {
				t.Errorf("Get() = %v, want the value", err)
			}
		})
	}
}

// TestSecretsManagerEntry checks that an entry whose value a bake sealed
// with KMS Encrypt under SealedContext decrypts through Open, with its
// recorded key, and that KMS refuses it under another context.
func TestSecretsManagerEntry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu := testbed.Shared(t)
	keyID, keyARN, err := emu.Seeder(region).CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	client := kms.NewFromConfig(emu.AWSConfig(region))
	const (
		arn     = "arn:aws:secretsmanager:" + region + ":123456789012:secret:prod/db-AbCdEf"
		version = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
		value   = "pässwörd-🔑"
	)
	sealed := baked.SealedContext(arn, version, "password")
	out, err := client.Encrypt(ctx, &kms.EncryptInput{KeyId: &keyID, Plaintext: []byte(value), EncryptionContext: sealed})
	if err != nil {
		t.Fatal(err)
	}
	entry := baked.Entry{ARN: arn, Ciphertext: base64.StdEncoding.EncodeToString(out.CiphertextBlob), SecretID: "prod/db", VersionID: version, JSONKey: "password", Context: sealed, KeyARN: keyARN}
	other := entry
	other.JSONKey, other.Context = "user", baked.SealedContext(arn, version, "user")
	data, err := baked.File{"DB_PASSWORD": entry, "OTHER_FIELD": other}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), baked.DefaultName)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := baked.Open(path, client)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, "DB_PASSWORD"); err != nil || got != value {
		t.Errorf("Get(DB_PASSWORD) = %v, want the sealed value", err)
	}
	var invalid *kmstypes.InvalidCiphertextException
	if _, err := s.Get(ctx, "OTHER_FIELD"); !errors.As(err, &invalid) {
		t.Errorf("Get(OTHER_FIELD) under another context: error = %v, want InvalidCiphertextException", err)
	}
}
