// Package artifact reads the baked file out of a deployment artifact, the
// verify command's file input, without extracting anything: a zip archive (a
// Serverless, SAM or Terraform package) is read in memory through
// archive/zip, a directory (a CDK asset, a SAM build) through a root of its
// own (os.Root), both opened through the workspace.
package artifact

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/org/secret-baker/internal/outfile"
)

// MaxSize bounds the baked file read out of an artifact, before and while
// reading it, so that no header can make the run hold more in memory. An
// entry is its ciphertext in base64, about 1.4 times the value, which SSM
// holds up to 8 KB (an advanced parameter), and some 400 bytes of ARNs: 16 MiB
// holds over 1,400 secrets of the largest size, far more than a function
// reads at start, and is well under the 250 MB its unzipped code may take.
const MaxSize = 16 << 20

// Read returns the baked file the file input name (see
// outfile.Workspace.Rel) is or holds. When name is a directory, or a zip
// archive (a file that starts with "PK", as every zip archive does and no
// JSON can), that is its regular file base at its root, and inside is base;
// else it is the file name itself, and inside is empty. Each refusal of the
// artifact is an *Error that names it.
func Read(ws *outfile.Workspace, name, base string) (data []byte, inside string, err error) {
	f, info, err := ws.Open(name)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	rel, _ := ws.Rel(name)
	rel = filepath.ToSlash(rel)
	switch {
	case info.IsDir():
		dir, err := ws.OpenDir(name, info)
		if err != nil {
			return nil, "", err
		}
		defer dir.Close()
		data, err = FromDir(dir, base)
		return data, base, located(rel, err)
	case isZip(f):
		data, err = FromZip(f, info.Size(), base)
		return data, base, located(rel, err)
	}
	data, err = io.ReadAll(f)
	if err != nil {
		return nil, "", fmt.Errorf("failed to read %q: %w", name, err)
	}
	return data, "", nil
}

// zipMagic starts every zip archive, empty or not; a baked file, JSON,
// starts with "{" or whitespace.
var zipMagic = []byte("PK")

// isZip reports whether the file r starts as a zip archive.
func isZip(r io.ReaderAt) bool {
	head := make([]byte, len(zipMagic))
	n, _ := r.ReadAt(head, 0)
	return bytes.Equal(head[:n], zipMagic)
}

// located names the artifact rel in a refusal.
func located(rel string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return &Error{Kind: e.Kind, Detail: rel + " " + e.Detail}
	}
	return err
}
