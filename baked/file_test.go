package baked

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sample() File {
	return File{
		"ZETA":        {ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/zeta", Ciphertext: "AQICAHh6ZXRh", Parameter: "/prod/zeta", Version: 3, Modified: time.Date(2026, 9, 14, 8, 30, 0, 0, time.UTC)},
		"API_TOKEN":   {ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/api/token", Ciphertext: "AQICAHh0b2tlbg==", Parameter: "/prod/api/token:4", Version: 4, KeyARN: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		"DB_PASSWORD": {ARN: "arn:aws:ssm:us-east-1:123456789012:parameter/prod/db/password", Ciphertext: "AQICAHhkYg==", Parameter: "/prod/db/password", Version: 1},
	}
}

// secretARN is the ARN of the Secrets Manager secret of smSample.
const secretARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"

// smSample holds Secrets Manager entries: a whole value, a field of it with
// the key and the date, and an SSM entry beside them.
func smSample() File {
	const version = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"
	return File{
		"DB":          {ARN: secretARN, Ciphertext: "AQICAHhkYg==", SecretID: "prod/db", VersionID: version, Context: SealedContext(secretARN, version, "")},
		"DB_PASSWORD": {ARN: secretARN, Ciphertext: "AQICAHhwdw==", SecretID: secretARN, VersionID: version, JSONKey: "password", Context: SealedContext(secretARN, version, "password"), Modified: time.Date(2026, 9, 14, 8, 30, 0, 0, time.UTC), KeyARN: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		"ZETA":        sample()["ZETA"],
	}
}

func TestMarshalGolden(t *testing.T) {
	t.Parallel()
	for golden, file := range map[string]File{"golden.json": sample(), "golden-secrets-manager.json": smSample()} {
		t.Run(golden, func(t *testing.T) {
			t.Parallel()
			testMarshalGolden(t, file, filepath.Join("..", "testdata", "baked", golden))
		})
	}
}

func testMarshalGolden(t *testing.T, file File, golden string) {
	got, err := file.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("Marshal() =\n%s\nwant\n%s", got, want)
	}
	again, _ := file.Marshal()
	if string(again) != string(got) {
		t.Error("Marshal is not deterministic")
	}
}

func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	for _, file := range []File{sample(), smSample()} {
		data, err := file.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse(data)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, file) {
			t.Errorf("Parse(Marshal()) = %+v, want %+v", got, file)
		}
	}
}

func TestEncryptionContext(t *testing.T) {
	t.Parallel()
	ssm := sample()["ZETA"]
	if got, want := ssm.EncryptionContext(), map[string]string{"PARAMETER_ARN": ssm.ARN}; !reflect.DeepEqual(got, want) || ssm.SecretsManager() {
		t.Errorf("SSM entry: EncryptionContext() = %v, SecretsManager() = %t; want %v, false", got, ssm.SecretsManager(), want)
	}
	for name, want := range map[string]map[string]string{
		"DB":          {"SecretARN": secretARN, "SecretVersionId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"},
		"DB_PASSWORD": {"SecretARN": secretARN, "SecretVersionId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "json-key": "password"},
	} {
		e := smSample()[name]
		got := e.EncryptionContext()
		if !reflect.DeepEqual(got, want) || !e.SecretsManager() {
			t.Errorf("%s: EncryptionContext() = %v, SecretsManager() = %t; want %v, true", name, got, e.SecretsManager(), want)
		}
		got["SecretARN"] = "changed"
		if e.Context["SecretARN"] != secretARN {
			t.Errorf("%s: EncryptionContext() returned the entry's own map", name)
		}
	}
}

func TestSealedContext(t *testing.T) {
	t.Parallel()
	if got, want := SealedContext("arn:s", "v1", ""), map[string]string{"SecretARN": "arn:s", "SecretVersionId": "v1"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SealedContext without a JSON key = %v, want %v", got, want)
	}
	if got, want := SealedContext("arn:s", "v1", "user"), map[string]string{"SecretARN": "arn:s", "SecretVersionId": "v1", "json-key": "user"}; !reflect.DeepEqual(got, want) {
		t.Errorf("SealedContext with a JSON key = %v, want %v", got, want)
	}
}

func TestDigest(t *testing.T) {
	t.Parallel()
	got := Digest([]byte("abc"))
	want := "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got != want {
		t.Errorf("Digest() = %s, want %s", got, want)
	}
}

func TestRecordKey(t *testing.T) {
	t.Parallel()
	f := File{"A": {ARN: "arn:a", Ciphertext: "AQID"}, "B": {ARN: "arn:b", Ciphertext: "AQID", KeyARN: "arn:key/old"}, "SM": smSample()["DB"]}
	f.RecordKey("SM", "arn:key/2")
	if got := f["SM"]; got.KeyARN != "arn:key/2" || !reflect.DeepEqual(got.Context, smSample()["DB"].Context) {
		t.Errorf("Secrets Manager entry after RecordKey = %+v", got)
	}
	f.RecordKey("A", "arn:key/1")
	f.RecordKey("B", "")
	f.RecordKey("C", "arn:key/1")
	if got := f["A"].KeyARN; got != "arn:key/1" {
		t.Errorf("A's key = %q, want arn:key/1", got)
	}
	if got := f["B"].KeyARN; got != "arn:key/old" {
		t.Errorf("an empty key replaced B's key with %q", got)
	}
	if _, ok := f["C"]; ok {
		t.Error("RecordKey added an entry")
	}
}
