package outfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Mode is the permission of a written file: the Lambda runtime reads the file
// as another user, and it holds ciphertext only.
const Mode = 0o644

const tempInfix = ".tmp-"

// Option configures Write: it is applied to every directory Write creates
// and to the file, before the file takes its place.
type Option func(path string) error

// OwnedLike gives what Write creates the owner and group of dir when this
// process runs as root: the Actions runner starts container steps as root,
// and the file belongs to the user's workspace.
func OwnedLike(dir string) Option {
	return func(path string) error {
		if os.Geteuid() != 0 {
			return nil
		}
		info, err := os.Stat(dir)
		if err != nil {
			return fmt.Errorf("failed to read the owner of %q: %w", dir, err)
		}
		uid, gid, ok := owner(info)
		if !ok {
			return nil
		}
		if err := os.Lchown(path, uid, gid); err != nil {
			return fmt.Errorf("failed to give %q the owner of %q: %w", path, dir, err)
		}
		return nil
	}
}

// mkdirAll creates dir and its missing parents, applying opts to each
// directory it creates.
func mkdirAll(dir string, opts []Option) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := mkdirAll(parent, opts); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
		return err
	}
	return apply(dir, opts)
}

func apply(path string, opts []Option) error {
	for _, o := range opts {
		if err := o(path); err != nil {
			return err
		}
	}
	return nil
}

// Write replaces the file at path with data atomically: it writes a temporary
// file in the same directory, syncs it, and renames it over path, creating
// missing parent directories. Temporary files that an earlier crashed run left
// for the same path are removed first. On failure the previous file is left
// as it was.
func Write(path string, data []byte, opts ...Option) (err error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	if err := mkdirAll(dir, opts); err != nil {
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
	if err := apply(tmp.Name(), opts); err != nil {
		return err
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
