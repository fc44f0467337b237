package seal

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
)

// TestBundleFromValues: a bundle is sealed from the values it is given
// (WithValues) and decrypts only the entries whose value it lacks.
func TestBundleFromValues(t *testing.T) {
	t.Parallel()
	const key = "arn:aws:kms:us-east-1:123456789012:key/own"
	sm := &fakeSM{values: map[string]string{v1: `{"password":"pw-1","port":5432}`}, current: v1, key: key}
	secrets := []Secret{{Name: "DB", SecretID: "prod/db", VersionStage: "AWSCURRENT"}, {Name: "PW", SecretID: "prod/db", VersionStage: "AWSCURRENT", JSONKey: "password"}, {Name: "PORT", SecretID: "prod/db", VersionStage: "AWSCURRENT", JSONKey: "port"}}
	file, err := New(sm, &fakeKMS{}).Seal(context.Background(), secrets)
	if err != nil {
		t.Fatal(err)
	}
	k := &fakeKMS{}
	values := map[string][]byte{"DB": []byte(`{"password":"pw-1","port":5432}`), "PW": []byte("pw-1")}
	b, err := New(sm, k, WithValues(values)).Bundle(context.Background(), file, key, nil)
	if err != nil {
		t.Fatal(err)
	}
	if k.decrypts != 1 || k.encrypts != 1 {
		t.Errorf("Bundle made %d Decrypt and %d Encrypt, want 1 (PORT's, the one value not given) and 1", k.decrypts, k.encrypts)
	}
	blob, err := base64.StdEncoding.DecodeString(b.Chunks[0])
	if err != nil {
		t.Fatal(err)
	}
	// The fake KMS keeps the plaintext in the ciphertext's fourth field.
	got := strings.Split(string(blob), "|")[3]
	if want := `{"DB":"{\"password\":\"pw-1\",\"port\":5432}","PORT":"5432","PW":"pw-1"}`; got != want {
		t.Errorf("bundle plaintext = %s, want %s", got, want)
	}
}

// TestBundleRefusesNonUTF8: a value that is not UTF-8 text, which every
// reader refuses, is not sealed as the U+FFFD json.Marshal would make of it.
func TestBundleRefusesNonUTF8(t *testing.T) {
	t.Parallel()
	file := baked.File{"A": {ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/a", Ciphertext: "AQID"}}
	k := &fakeKMS{}
	_, err := New(nil, k, WithValues(map[string][]byte{"A": []byte("caf\xe9")})).Bundle(context.Background(), file, "k", nil)
	if !errors.Is(err, baked.ErrNotUTF8) || k.encrypts != 0 {
		t.Errorf("Bundle = %v with %d Encrypt, want ErrNotUTF8 and none", err, k.encrypts)
	}
}
