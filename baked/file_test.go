package baked

import (
	"flag"
	"os"
	"path/filepath"
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

func TestMarshalGolden(t *testing.T) {
	t.Parallel()
	got, err := sample().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("..", "testdata", "baked", "golden.json")
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
	again, _ := sample().Marshal()
	if string(again) != string(got) {
		t.Error("Marshal is not deterministic")
	}
}

func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	data, err := sample().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(sample()) {
		t.Fatalf("got %d entries, want %d", len(got), len(sample()))
	}
	for name, want := range sample() {
		if got[name] != want {
			t.Errorf("entry %s = %+v, want %+v", name, got[name], want)
		}
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
	f := File{"A": {ARN: "arn:a", Ciphertext: "AQID"}, "B": {ARN: "arn:b", Ciphertext: "AQID", KeyARN: "arn:key/old"}}
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
