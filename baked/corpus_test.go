package baked_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
)

// corpus is the file format's conformance corpus, which the Python and
// Node.js readers' tests read too (see its README).
var corpus = filepath.Join("..", "testdata", "baked")

// read reads data as a Lambda function does: ParseFile, then NewDocument,
// which decodes the ciphertexts. Parse must agree with ParseFile.
func read(data []byte) (baked.Document, error) {
	d, err := baked.ParseFile(data)
	if file, perr := baked.Parse(data); !reflect.DeepEqual(file, d.Entries) || (perr == nil) != (err == nil) {
		return d, fmt.Errorf("Parse() = %v, %v; ParseFile() = %v, %v", file, perr, d, err)
	}
	if err == nil {
		_, err = baked.NewDocument(d, nil)
	}
	return d, err
}

// corpusFiles returns the files of the corpus directory dir, by base name,
// without the .want.json files.
func corpusFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(corpus, dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus files in %s: %v", dir, err)
	}
	files := map[string][]byte{}
	for _, path := range paths {
		if strings.HasSuffix(path, ".want.json") {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(path)] = data
	}
	return files
}

// TestCorpusValid checks that each valid file reads as its .want.json.
func TestCorpusValid(t *testing.T) {
	t.Parallel()
	for name, data := range corpusFiles(t, "valid") {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			file, err := read(data)
			if err != nil {
				t.Fatalf("read() error = %v", err)
			}
			out, err := file.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			wantData, err := os.ReadFile(filepath.Join(corpus, "valid", strings.TrimSuffix(name, ".json")+".want.json"))
			if err != nil {
				t.Fatal(err)
			}
			var got, want any
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(wantData, &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("read() = %s\nwant %s", out, wantData)
			}
		})
	}
}

// TestCorpusInvalid checks that each invalid file, KIND.CASE.json, is
// refused for breaking the rule KIND, with a message that does not hold the
// marker LEAK, which the corpus puts wherever content must not be shown.
func TestCorpusInvalid(t *testing.T) {
	t.Parallel()
	for name, data := range corpusFiles(t, "invalid") {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := read(data)
			var fe *baked.FormatError
			if !errors.As(err, &fe) || !errors.Is(err, baked.ErrMalformed) {
				t.Fatalf("read() error = %v, want a FormatError wrapping ErrMalformed", err)
			}
			if want, _, _ := strings.Cut(name, "."); fe.Kind != want {
				t.Errorf("read() error kind = %s (%v), want %s", fe.Kind, err, want)
			}
			if strings.Contains(err.Error(), "LEAK") {
				t.Errorf("read() error shows the file's content: %v", err)
			}
		})
	}
}
