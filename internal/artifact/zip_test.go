package artifact

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/ziptest"
)

const base = "secret-baker-secrets.json"

// baked stands for a baked file's bytes.
var baked = []byte(`{"A": {"arn": "arn:aws:ssm:us-east-1:123456789012:parameter/a", "ciphertext": "AQID"}}` + "\n")

func TestFromZip(t *testing.T) {
	t.Parallel()
	handler := ziptest.Stored("handler.py", []byte("def handler(e, c): pass\n"))
	zeros := make([]byte, 1<<20)
	tests := []struct {
		name    string
		archive []byte
		wantErr error
		// want is in the message; unwanted is not.
		want, unwanted []string
	}{
		{name: "stored", archive: ziptest.Build(t, handler, ziptest.Stored(base, baked))},
		{name: "deflated", archive: ziptest.Build(t, ziptest.Deflated("lib/x.js", []byte("x")), ziptest.Deflated(base, baked), handler)},
		{name: "dot slash name", archive: ziptest.Build(t, ziptest.Stored("./"+base, baked))},
		{name: "a name differing in case is another file", archive: ziptest.Build(t, ziptest.Stored(strings.ToUpper(base), []byte("other")), ziptest.Stored(base, baked))},
		{name: "empty archive", archive: ziptest.Build(t), wantErr: ErrNotFound},
		{name: "no baked file", archive: ziptest.Build(t, handler), wantErr: ErrNotFound, want: []string{"holds no " + base + " at its root"}, unwanted: []string{"subfolder"}},
		{name: "only in a subfolder", archive: ziptest.Build(t, handler, ziptest.Stored("lib/", nil), ziptest.Stored("lib/"+base, baked)),
			wantErr: ErrNotFound, want: []string{"only lib/" + base + " in a subfolder"}},
		{name: "only by another case", archive: ziptest.Build(t, ziptest.Stored(strings.ToUpper(base), baked)), wantErr: ErrNotFound},
		{name: "dot dot", archive: ziptest.Build(t, handler, ziptest.Stored(base, baked), ziptest.Stored("../evil.sh", []byte("x"))),
			wantErr: ErrUnsafeEntry, want: []string{"entry #3 of 3"}, unwanted: []string{"evil"}},
		{name: "dot dot inside", archive: ziptest.Build(t, ziptest.Stored("a/../../evil", nil), ziptest.Stored(base, baked)), wantErr: ErrUnsafeEntry, want: []string{"#1 of 2"}},
		{name: "dot dot as the baked file", archive: ziptest.Build(t, ziptest.Stored("../"+base, baked)), wantErr: ErrUnsafeEntry},
		{name: "absolute", archive: ziptest.Build(t, ziptest.Stored(base, baked), ziptest.Stored("/etc/evil", nil)), wantErr: ErrUnsafeEntry, want: []string{"#2 of 2"}},
		{name: "drive letter", archive: ziptest.Build(t, ziptest.Stored("C:evil", nil), ziptest.Stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "drive letter lower case", archive: ziptest.Build(t, ziptest.Stored("c:/evil", nil), ziptest.Stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "backslash", archive: ziptest.Build(t, ziptest.Stored("a\\..\\..\\evil", nil), ziptest.Stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "NUL", archive: ziptest.Build(t, ziptest.Stored(base+"\x00.txt", nil), ziptest.Stored(base, baked)), wantErr: ErrUnsafeEntry},
		{name: "duplicate", archive: ziptest.Build(t, ziptest.Stored(base, baked), handler, ziptest.Stored(base, []byte("{}"))),
			wantErr: ErrDuplicate, want: []string{"2 entries named " + base, "#1, #3"}},
		{name: "duplicate by dot slash", archive: ziptest.Build(t, ziptest.Stored(base, baked), ziptest.Stored("./"+base, baked)), wantErr: ErrDuplicate},
		{name: "directory", archive: ziptest.Build(t, ziptest.Stored(base+"/", nil)), wantErr: ErrNotRegular, want: []string{"a directory"}},
		{name: "symbolic link", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink | 0o777}),
			wantErr: ErrNotRegular, want: []string{"a symbolic link"}, unwanted: []string{"passwd"}},
		{name: "encrypted", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: baked, Flags: 0x1}), wantErr: ErrEncrypted, want: []string{"entry #1, " + base + ", is encrypted"}},
		{name: "bzip2", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: baked, Method: 12}), wantErr: ErrMethod, want: []string{"method 12"}},
		{name: "declared over the bound", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: baked, Size: ziptest.Ptr[uint64](MaxSize + 1)}), wantErr: ErrTooLarge},
		{name: "zip64 size", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: baked, Size: ziptest.Ptr[uint64](1 << 40)}), wantErr: ErrTooLarge},
		{name: "ratio", archive: ziptest.Build(t, ziptest.Deflated(base, zeros)), wantErr: ErrBomb, want: []string{"1048576 bytes from"}},
		{name: "ratio declared on stored data", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: []byte("x"), Size: ziptest.Ptr[uint64](1000)}), wantErr: ErrBomb},
		{name: "declared smaller than the data", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: zeros[:4096], Method: zip.Deflate, Size: ziptest.Ptr[uint64](100)}), wantErr: ErrInvalid},
		{name: "declared larger than the data", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: baked, Method: zip.Deflate, Size: ziptest.Ptr(uint64(len(baked) + 1))}), wantErr: ErrInvalid},
		{name: "bad CRC-32", archive: ziptest.Build(t, ziptest.Entry{Name: base, Data: baked, CRC: ziptest.Ptr[uint32](1)}), wantErr: ErrInvalid, want: []string{"checksum"}},
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
	archive := ziptest.Build(t, ziptest.Entry{Name: base, Data: data, Method: zip.Deflate, Size: ziptest.Ptr[uint64](MaxSize)})
	got, err := FromZip(bytes.NewReader(archive), int64(len(archive)), base)
	if got != nil || !errors.Is(err, ErrInvalid) {
		t.Fatalf("FromZip = %d bytes, %v; want ErrInvalid", len(got), err)
	}
}

// TestFromZipOtherName reads a baked file under a name of the user's.
func TestFromZipOtherName(t *testing.T) {
	t.Parallel()
	archive := ziptest.Build(t, ziptest.Stored(base, []byte("{}")), ziptest.Stored("app-secrets.json", baked))
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
