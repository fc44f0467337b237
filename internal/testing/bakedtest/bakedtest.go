// Package bakedtest makes baked files on the test emulator, for the tests of
// the handlers that read them.
package bakedtest

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
	"github.com/org/secret-baker/seal"
)

// Fixture is a baked file made from SecureStrings seeded on the emulator.
type Fixture struct {
	// Dir holds the file, as a Lambda function's LAMBDA_TASK_ROOT would.
	Dir string
	// Path is the file, baked.DefaultName in Dir.
	Path string
	// File is what was written to Path.
	File baked.File
	// Document is File and the bundle written beside it (BakeBundle), if any.
	Document baked.Document
	// Values maps each secret name to its plaintext.
	Values map[string]string
}

// Names returns the secret names, sorted.
func (f *Fixture) Names() []string {
	return slices.Sorted(maps.Keys(f.Values))
}

// Values are plaintexts that readers must get back unchanged: text beyond
// ASCII, several lines, JSON.
var Values = map[string]string{
	"SIGNING_KEY": "k3y-for-hmac",
	"DB_PASSWORD": "pässwörd-🔑",
	"TLS_KEY":     "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBg\n-----END PRIVATE KEY-----\n",
	"CONFIG":      `{"user":"app","password":"p\"w"}`,
}

// Bake stores each value as a SecureString under a prefix unique to t,
// encrypted with a new customer managed key, bakes them with the bake package
// straight from the emulator (so no proxy counts these calls), records the key
// in each entry as a verified bake does, and writes the file to a temporary
// directory.
func Bake(t testing.TB, emu *testbed.Emulator, region string, values map[string]string) *Fixture {
	t.Helper()
	return BakeMixed(t, emu, region, values, nil)
}

// BakeMixed bakes values from SSM as Bake does, and sealed from Secrets
// Manager, as a bake of secret-id secrets does (package seal): a file of
// both kinds of entry.
func BakeMixed(t testing.TB, emu *testbed.Emulator, region string, values, sealed map[string]string) *Fixture {
	t.Helper()
	ctx := context.Background()
	prefix := testbed.UniquePrefix(t)
	seed := emu.Seeder(region)
	keyID, keyARN, err := seed.CreateKey(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var secrets []bake.Secret
	for name, value := range values {
		parameter := prefix + "/" + name
		if _, err := seed.PutSecureString(ctx, parameter, value, keyID); err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, bake.Secret{Name: name, Parameter: parameter})
	}
	cfg := emu.AWSConfig(region)
	file, err := bake.New(ssm.NewFromConfig(cfg)).Bake(ctx, secrets)
	if err != nil {
		t.Fatal(err)
	}
	var sm []seal.Secret
	for name, value := range sealed {
		id := strings.TrimPrefix(prefix, "/") + "/" + name
		if _, _, err := seed.CreateSecret(ctx, id, value, keyID); err != nil {
			t.Fatal(err)
		}
		sm = append(sm, seal.Secret{Name: name, SecretID: id, VersionStage: "AWSCURRENT"})
	}
	sealedFile, err := seal.New(secretsmanager.NewFromConfig(cfg), kms.NewFromConfig(cfg), seal.WithKey(keyARN)).Seal(ctx, sm)
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(file, sealedFile)
	for name := range file {
		file.RecordKey(name, keyARN) // as a verified bake does
	}
	data, err := file.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, baked.DefaultName)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	all := maps.Clone(values)
	maps.Copy(all, sealed)
	return &Fixture{Dir: dir, Path: path, File: file, Document: baked.Document{Entries: file}, Values: all}
}
