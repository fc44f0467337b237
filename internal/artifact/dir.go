package artifact

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"syscall"

	"github.com/org/secret-baker/internal/outfile"
)

// maxWalk bounds the entries searched for the baked file in a subfolder of a
// directory that has none at its root: a hint, not worth a long walk of a
// large node_modules.
const maxWalk = 10000

// FromDir returns the regular file base at the root of the directory dir.
// Symbolic links are followed while they stay inside dir; a named pipe is
// refused rather than waited on.
func FromDir(dir *os.Root, base string) ([]byte, error) {
	f, err := dir.OpenFile(base, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notFound(base, findNested(dir, base))
	}
	if err != nil {
		if info, lerr := dir.Lstat(base); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
			return nil, refuse(ErrNotRegular, "is refused: its %s is a symbolic link that leads out of it", base)
		}
		return nil, fmt.Errorf("failed to open %s: %w", base, err)
	}
	defer f.Close()
	info, err := f.Stat()
	switch {
	case err != nil:
		return nil, fmt.Errorf("failed to read %s: %w", base, err)
	case !info.Mode().IsRegular():
		return nil, refuse(ErrNotRegular, "is refused: its %s is not a regular file but %s", base, outfile.FileKind(info.Mode()))
	case info.Size() > MaxSize:
		return nil, refuse(ErrTooLarge, "is refused: its %s has %d bytes, over the %d (16 MiB) a baked file may have", base, info.Size(), MaxSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("failed to read %s: %w", base, err)
	case len(data) > MaxSize:
		return nil, refuse(ErrTooLarge, "is refused: its %s grew over the %d bytes (16 MiB) a baked file may have", base, MaxSize)
	}
	return data, nil
}

// findNested returns the first file named base in a subfolder of dir, in
// lexical order, or "" when the first maxWalk entries hold none.
func findNested(dir *os.Root, base string) string {
	found, seen := "", 0
	fs.WalkDir(dir.FS(), ".", func(name string, d fs.DirEntry, err error) error {
		seen++
		switch {
		case seen > maxWalk:
			return fs.SkipAll
		case err == nil && name != base && path.Base(name) == base:
			found = name
			return fs.SkipAll
		}
		return nil
	})
	return found
}

// notFound is the refusal of an artifact without base at its root; nested,
// when not empty, is where one was found in a subfolder.
func notFound(base, nested string) *Error {
	e := refuse(ErrNotFound, "holds no %s at its root, where the readers look for it", base)
	if nested != "" {
		e.Detail += fmt.Sprintf(", only %s in a subfolder: the deploy tool must put the baked file at the root", nested)
	}
	return e
}
