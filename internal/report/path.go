package report

import "path/filepath"

// workspacePath returns path relative to the workspace, with forward slashes.
func workspacePath(workspace, path string) string {
	rel, err := filepath.Rel(realPath(workspace), realPath(path))
	if err != nil {
		return filepath.ToSlash(path)
	}
	return filepath.ToSlash(rel)
}

// realPath returns p absolute with symbolic links resolved, as far as they
// can be.
func realPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}
