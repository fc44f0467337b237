package artifact

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/org/secret-baker/internal/outfile"
)

// maxRatio bounds how many times larger than its compressed data the baked
// file may be. Deflate reaches about 1,000:1 on repeated bytes; a baked file
// is mostly base64 of random ciphertext, which deflates to about three
// quarters, and one of many one-byte secrets comes to about 4:1.
const maxRatio = 100

// FromZip returns the baked file base at the root of the zip archive r of
// size bytes, read in memory: nothing is extracted. It refuses the whole
// archive when any entry's name could lead an extraction out of its
// directory, and the baked file when the archive holds it more than once,
// encrypted, compressed by a method other than store or deflate, or declared
// or found larger than MaxSize or maxRatio times its compressed size.
func FromZip(r io.ReaderAt, size int64, base string) ([]byte, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // unsafeName refuses those below
		return nil, refuse(ErrInvalid, "is not a valid zip archive (%v)", err)
	}
	var found []int // the entries at the root named base
	nested := ""    // the first entry named base in a subfolder
	for i, f := range zr.File {
		if unsafeName(f.Name) {
			return nil, refuse(ErrUnsafeEntry, "is refused: the name of its entry #%d of %d could lead an extraction out of its directory (a .. component, an absolute path, a drive letter, a backslash or NUL)", i+1, len(zr.File))
		}
		name := path.Clean(f.Name)
		switch {
		case name == base:
			found = append(found, i)
		case nested == "" && path.Base(name) == base:
			nested = name
		}
	}
	switch len(found) {
	case 0:
		return nil, notFound(base, nested)
	case 1:
		return readEntry(zr.File[found[0]], found[0], base)
	}
	return nil, refuse(ErrDuplicate, "holds %d entries named %s at its root (%s): which one a deploy tool extracts is up to the tool", len(found), base, entryList(found))
}

// unsafeName reports whether a zip entry's name could make an extraction
// write outside its directory, or be read as another name elsewhere.
func unsafeName(name string) bool {
	drive := len(name) >= 2 && name[1] == ':' && ('A' <= name[0] && name[0] <= 'Z' || 'a' <= name[0] && name[0] <= 'z')
	return drive || strings.HasPrefix(name, "/") || strings.ContainsAny(name, "\\\x00") ||
		strings.Contains("/"+name+"/", "/../")
}

// readEntry reads the zip entry f, the archive's entry number i counting
// from 0, that holds the baked file base.
func readEntry(f *zip.File, i int, base string) ([]byte, error) {
	entry := fmt.Sprintf("its entry #%d, %s,", i+1, base)
	switch {
	case !f.Mode().IsRegular():
		return nil, refuse(ErrNotRegular, "is refused: %s is not a regular file but %s", entry, outfile.FileKind(f.Mode()))
	case f.Flags&0x1 != 0:
		return nil, refuse(ErrEncrypted, "is refused: %s is encrypted, which no Lambda runtime reads", entry)
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return nil, refuse(ErrMethod, "is refused: %s is compressed with method %d; only stored (0) and deflated (8) entries are read", entry, f.Method)
	case f.UncompressedSize64 > MaxSize:
		return nil, refuse(ErrTooLarge, "is refused: %s declares %d bytes, over the %d (16 MiB) a baked file may have", entry, f.UncompressedSize64, MaxSize)
	case f.CompressedSize64 < f.UncompressedSize64 && f.UncompressedSize64 > maxRatio*f.CompressedSize64:
		return nil, refuse(ErrBomb, "is refused: %s declares %d bytes from %d compressed, over %d times: no baked file compresses so well", entry, f.UncompressedSize64, f.CompressedSize64, maxRatio)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, refuse(ErrInvalid, "is refused: %s cannot be read (%v)", entry, err)
	}
	defer rc.Close()
	// archive/zip stops at the declared size and checks the CRC-32; the
	// limit holds whatever it does.
	data, err := io.ReadAll(io.LimitReader(rc, MaxSize+1))
	switch {
	case err != nil:
		return nil, refuse(ErrInvalid, "is refused: %s does not match its header (%v)", entry, err)
	case len(data) > MaxSize:
		return nil, refuse(ErrTooLarge, "is refused: %s is over the %d bytes (16 MiB) a baked file may have", entry, MaxSize)
	}
	return data, nil
}

// entryList numbers the entries at indexes from 1: "#2, #5".
func entryList(indexes []int) string {
	s := make([]string, len(indexes))
	for i, n := range indexes {
		s[i] = fmt.Sprintf("#%d", n+1)
	}
	return strings.Join(s, ", ")
}
