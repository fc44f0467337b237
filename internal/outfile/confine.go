package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutsideWorkspace is wrapped by errors for paths that resolve outside the
// workspace.
var ErrOutsideWorkspace = errors.New("outside the workspace")

// Resolve returns the absolute path that writing name inside the workspace
// root would write to, following symbolic links. name may be relative to root
// or absolute. It fails when the path, or a link along it, leads outside root,
// or when it names a directory.
func Resolve(root, name string) (string, error) {
	if name == "" {
		return "", errors.New("output path is empty")
	}
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", fmt.Errorf("failed to resolve workspace %q: %w", root, err)
	}
	realRoot, err := filepath.EvalSymlinks(absRoot)
	if err != nil {
		return "", fmt.Errorf("failed to resolve workspace %q: %w", root, err)
	}
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(absRoot, path)
	}
	resolved, err := resolveExisting(filepath.Clean(path))
	if err != nil {
		return "", fmt.Errorf("failed to resolve output %q: %w", name, err)
	}
	if !within(realRoot, resolved) {
		return "", fmt.Errorf("output %q: %w %s", name, ErrOutsideWorkspace, root)
	}
	if info, err := os.Stat(resolved); err == nil && info.IsDir() {
		return "", fmt.Errorf("output %q is a directory", name)
	}
	return resolved, nil
}

// resolveExisting follows symbolic links in the longest existing prefix of
// path and appends the part that does not exist yet.
func resolveExisting(path string) (string, error) {
	rest := ""
	for {
		real, err := filepath.EvalSymlinks(path)
		if err == nil {
			return filepath.Join(real, rest), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
			return "", fmt.Errorf("dangling symbolic link %q", path)
		}
		parent := filepath.Dir(path)
		if parent == path {
			return "", err
		}
		rest = filepath.Join(filepath.Base(path), rest)
		path = parent
	}
}

func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
