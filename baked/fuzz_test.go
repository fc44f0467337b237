package baked_test

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/org/secret-baker/baked"
)

// FuzzParse feeds arbitrary bytes to Parse: it must not panic, must reject with ErrMalformed,
// and what it accepts must survive Marshal → Parse → Marshal unchanged.
// Besides the seeds in testdata, it starts from the conformance corpus.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid"} {
		for _, data := range corpusFiles(f, dir) {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := baked.Parse(data)
		if err != nil {
			if !errors.Is(err, baked.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		first, err := file.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a parsed file: %v", err)
		}
		again, err := baked.Parse(first)
		if err != nil {
			t.Fatalf("Parse of Marshal's output: %v\n%s", err, first)
		}
		if !reflect.DeepEqual(again, file) {
			t.Fatalf("round trip changed the file: %+v, want %+v", again, file)
		}
		second, err := again.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, second) {
			t.Fatalf("Marshal is not stable:\n%s\nthen:\n%s", first, second)
		}
	})
}
