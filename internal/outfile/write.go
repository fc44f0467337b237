package outfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Mode is the permission of a written file: the Lambda runtime reads the file
// as another user, and it holds ciphertext only.
const Mode = 0o644

const tempInfix = ".tmp-"

// Option configures Write.
type Option func(*os.File) error

// OwnedLike gives the written file the owner and group of dir when this
// process runs as root: the Actions runner starts container steps as root,
// and the file belongs to the user's workspace.
func OwnedLike(dir string) Option {
	return func(f *os.File) error {
		if os.Geteuid() != 0 {
			return nil
		}
		info, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("failed to read the owner of %q: %w", dir, err)
		}
		st, ok := info.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil {
			return fmt.Errorf("failed to give %q the owner of %q: %w", f.Name(), dir, err)
		}
		return nil
	}
}

// Write replaces the file at path with data atomically: it writes a temporary
// file in the same directory, syncs it, and renames it over path, creating
// missing parent directories. Temporary files that an earlier crashed run left
// for the same path are removed first. On failure the previous file is left
// as it was.
func Write(path string, data []byte, opts ...Option) (err error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("failed to create directory for %q: %w", path, err)
	}
	removeStale(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+tempInfix+"*")
	if err != nil {
		return fmt.Errorf("failed to create temporary file for %q: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("failed to write %q: %w", tmp.Name(), err)
	}
	if err := tmp.Chmod(Mode); err != nil {
		return fmt.Errorf("failed to set mode of %q: %w", tmp.Name(), err)
	}
	for _, o := range opts {
		if err := o(tmp); err != nil {
			return err
		}
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("failed to sync %q: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("failed to close %q: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("failed to replace %q: %w", path, err)
	}
	return syncDir(dir)
}

// removeStale deletes temporary files a crashed run left for base in dir.
func removeStale(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+escapeGlob(base)+tempInfix+"*"))
	for _, m := range matches {
		os.Remove(m)
	}
}

func escapeGlob(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// syncDir makes the rename durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("failed to open %q: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("failed to sync %q: %w", dir, err)
	}
	return nil
}
