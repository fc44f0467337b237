// Package ziptest builds zip archives in memory for tests, each entry
// written raw: its headers declare what the test sets, whatever its data is,
// so that an archive can lie about sizes, checksums, flags and methods, and
// hold any name, twice or unsafe.
package ziptest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io/fs"
	"testing"
)

// Entry is one entry of an archive.
type Entry struct {
	Name   string
	Data   []byte
	Method uint16      // zip.Store, zip.Deflate (Data is compressed) or any other number (Data as it is)
	Flags  uint16      // general purpose bits: 0x1 says encrypted
	Mode   fs.FileMode // 0 for a regular file
	// Size and CRC, when set, are declared instead of Data's.
	Size *uint64
	CRC  *uint32
}

// Stored is an entry of data stored as it is.
func Stored(name string, data []byte) Entry { return Entry{Name: name, Data: data, Method: zip.Store} }

// Deflated is an entry of data deflated.
func Deflated(name string, data []byte) Entry {
	return Entry{Name: name, Data: data, Method: zip.Deflate}
}

// Build writes entries, in order, into a zip archive.
func Build(t testing.TB, entries ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		body := e.Data
		if e.Method == zip.Deflate {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write(e.Data)
			fw.Close()
			body = c.Bytes()
		}
		h := &zip.FileHeader{Name: e.Name, Method: e.Method, Flags: e.Flags, CRC32: crc32.ChecksumIEEE(e.Data),
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(e.Data))}
		if e.Size != nil {
			h.UncompressedSize64 = *e.Size
		}
		if e.CRC != nil {
			h.CRC32 = *e.CRC
		}
		if e.Mode != 0 {
			h.SetMode(e.Mode)
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Ptr returns a pointer to v, for Size and CRC.
func Ptr[T any](v T) *T { return &v }
