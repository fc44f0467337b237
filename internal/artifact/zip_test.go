package artifact

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"errors"
	"hash/crc32"
	"io/fs"
	"strings"
	"testing"
)

const base = "secret-baker-secrets.json"

// baked stands for a baked file's bytes.
var baked = []byte(`{"A": {"arn": "arn:aws:ssm:us-east-1:123456789012:parameter/a", "ciphertext": "AQID"}}` + "\n")

// entry is one entry of a test archive, written raw: its header says what
// the fields say, whatever its data is.
type entry struct {
	name   string
	data   []byte
	method uint16
	flags  uint16
	mode   fs.FileMode // 0 for a regular file
	// size and crc, when set, are declared instead of the data's.
	size *uint64
	crc  *uint32
}

func stored(name string, data []byte) entry { return entry{name: name, data: data, method: zip.Store} }
func deflated(name string, data []byte) entry {
	return entry{name: name, data: data, method: zip.Deflate}
}

// buildZip writes entries into a zip archive in memory.
func buildZip(t *testing.T, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		body := e.data
		if e.method == zip.Deflate {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write(e.data)
			fw.Close()
			body = c.Bytes()
		}
		h := &zip.FileHeader{Name: e.name, Method: e.method, Flags: e.flags, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(e.data))}
		if e.size != nil {
			h.UncompressedSize64 = *e.size
		}
		if e.crc != nil {
			h.CRC32 = *e.crc
		}
		if e.mode != 0 {
			h.SetMode(e.mode)
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

func ptr[T any](v T) *T { return &v }

func TestFromZip(t *testing.T) {
	t.Parallel()
	handler := stored("handler.py", []byte("def handler(e, c): pass\n"))
	zeros := make([]byte, 1<<20)
	tests := []struct {
		name    string
		archive []byte
		wantErr error
		// want is in the message; unwanted is not.
		want, unwanted []string
	}{
		{name: "stored", archive: buildZip(t, handler, stored(base, baked))},
		{name: "deflated", archive: buildZip(t, deflated("lib/x.js", []byte("x")), deflated(base, baked), handler)},
		{name: "dot slash name", archive: buildZip(t, stored("./"+base, baked))},
		{name: "a name differing in case is another file", archive: buildZip(t, stored(strings.ToUpper(base), []byte("other")), stored(base, baked))},
		{name: "empty archive", archive: buildZip(t), wantErr: ErrNotFound},
		{name: "no baked file", archive: buildZip(t, handler), wantErr: ErrNotFound, want: []string{"holds no " + base + " at its root"}, unwanted: []string{"subfolder"}},
		{name: "only in a subfolder", archive: buildZip(t, handler, stored("lib/", nil), stored("lib/"+base, baked)),
			wantErr: ErrNotFound, want: []string{"only lib/" + base + " in a subfolder"}},
		{name: "only by another case", archive: buildZip(t, stored(strings.ToUpper(base), baked)), wantErr: ErrNotFound},
		{name: "dot dot", archive: buildZip(t, handler, stored(base, baked), stored("../evil.sh", []byte("x"))),
			wantErr: ErrUnsafeEntry, want: []string{"entry #3 of 3"}, unwanted: []string{"evil"}},
		{name: "dot dot inside", archive: buildZip(t, stored("a/../../evil", nil), stored(base, baked)), wantErr: ErrUnsafeEntry, want: []string{"#1 of 2"}},
		{name: "dot dot as the baked file", archive: buildZip(t, stored("../"+base, baked)), wantErr: ErrUnsafeEntry},
		{name: "absolute", archive: buildZip(t, stored(base, baked), stored("/etc/evil", nil)), wantErr: ErrUnsafeEntry, want: []string{"#2 of 2"}},
		{name: "drive letter", archive: buildZip(t, stored("C:evil", nil), stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "drive letter lower case", archive: buildZip(t, stored("c:/evil", nil), stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "backslash", archive: buildZip(t, stored("a\\..\\..\\evil", nil), stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "NUL", archive: buildZip(t, stored(base+"\x00.txt", nil), stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "duplicate", archive: buildZip(t, stored(base, baked), handler, stored(base, []byte("{}"))),
			wantErr: ErrDuplicate, want: []string{"2 entries named " + base, "#1, #3"}},
		{name: "duplicate by dot slash", archive: buildZip(t, stored(base, baked), stored("./"+base, baked)), wantErr: ErrDuplicate},
		{name: "directory", archive: buildZip(t, stored(base+"/", nil)), wantErr: ErrNotRegular, want: []string{"a directory"}},
		{name: "symbolic link", archive: buildZip(t, entry{name: base, data: []byte("/etc/passwd"), mode: fs.ModeSymlink | 0o777}),
			wantErr: ErrNotRegular, want: []string{"a symbolic link"}, unwanted: []string{"passwd"}},
		{name: "encrypted", archive: buildZip(t, entry{name: base, data: baked, flags: 0x1}), wantErr: ErrEncrypted, want: []string{"entry #1, " + base + ", is encrypted"}},
		{name: "bzip2", archive: buildZip(t, entry{name: base, data: baked, method: 12}), wantErr: ErrMethod, want: []string{"method 12"}},
		{name: "declared over the bound", archive: buildZip(t, entry{name: base, data: baked, size: ptr[uint64](MaxSize + 1)}), wantErr: ErrTooLarge},
		{name: "zip64 size", archive: buildZip(t, entry{name: base, data: baked, size: ptr[uint64](1 << 40)}), wantErr: ErrTooLarge},
		{name: "ratio", archive: buildZip(t, deflated(base, zeros)), wantErr: ErrBomb, want: []string{"1048576 bytes from"}},
		{name: "ratio declared on stored data", archive: buildZip(t, entry{name: base, data: []byte("x"), size: ptr[uint64](1000)}), wantErr: ErrBomb},
		{name: "declared smaller than the data", archive: buildZip(t, entry{name: base, data: zeros[:4096], method: zip.Deflate, size: ptr[uint64](100)}), wantErr: ErrInvalid},
		{name: "declared larger than the data", archive: buildZip(t, entry{name: base, data: baked, method: zip.Deflate, size: ptr(uint64(len(baked) + 1))}), wantErr: ErrInvalid},
		{name: "bad CRC-32", archive: buildZip(t, entry{name: base, data: baked, crc: ptr[uint32](1)}), wantErr: ErrInvalid, want: []string{"checksum"}},
		{name: "not a zip archive", archive: []byte("PK\x03\x04 but nothing else"), wantErr: ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := FromZip(bytes.NewReader(tc.archive), int64(len(tc.archive)), base)
			if tc.wantErr == nil {
				if err != nil || !bytes.Equal(got, baked) {
					t.Fatalf("FromZip = %q, %v; want the baked file", got, err)
				}
				return
			}
			checkRefusal(t, err, tc.wantErr, tc.want, tc.unwanted)
		})
	}
}

// TestFromZipLyingSize checks that an entry larger than the bound, whose
// header declares the bound and a plausible ratio, is refused, not read
// whole.
func TestFromZipLyingSize(t *testing.T) {
	t.Parallel()
	data := make([]byte, MaxSize+1<<20)
	rand.Read(data) // incompressible
	archive := buildZip(t, entry{name: base, data: data, method: zip.Deflate, size: ptr[uint64](MaxSize)})
	got, err := FromZip(bytes.NewReader(archive), int64(len(archive)), base)
	if got != nil || !errors.Is(err, ErrInvalid) {
		t.Fatalf("FromZip = %d bytes, %v; want ErrInvalid", len(got), err)
	}
}

// TestFromZipOtherName reads a baked file under a name of the user's.
func TestFromZipOtherName(t *testing.T) {
	t.Parallel()
	archive := buildZip(t, stored(base, []byte("{}")), stored("app-secrets.json", baked))
	got, err := FromZip(bytes.NewReader(archive), int64(len(archive)), "app-secrets.json")
	if err != nil || !bytes.Equal(got, baked) {
		t.Fatalf("FromZip = %q, %v", got, err)
	}
}

// checkRefusal checks that err is an *Error of kind whose message holds
// every want and no unwanted, nor the baked file's content.
func checkRefusal(t *testing.T, err, kind error, want, unwanted []string) {
	t.Helper()
	var refusal *Error
	if !errors.As(err, &refusal) || !errors.Is(err, kind) {
		t.Fatalf("error = %v, want a refusal of kind %q", err, kind)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message %q lacks %q", err, w)
		}
	}
	for _, u := range append(unwanted, "arn:aws", "AQID") {
		if strings.Contains(err.Error(), u) {
			t.Errorf("message %q holds %q", err, u)
		}
	}
}
