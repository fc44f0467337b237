package outfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "dist"), 0o755))
	must(t, os.Symlink(outside, filepath.Join(root, "out-link")))
	must(t, os.Symlink(filepath.Join(outside, "x.json"), filepath.Join(root, "file-link.json")))
	must(t, os.Symlink("dist", filepath.Join(root, "in-link")))
	realRoot, err := filepath.EvalSymlinks(root)
	must(t, err)

	tests := []struct {
		name    string
		path    string
		want    string
		wantErr string
	}{
		{"relative", "secrets.json", filepath.Join(realRoot, "secrets.json"), ""},
		{"nested", "dist/secrets.json", filepath.Join(realRoot, "dist", "secrets.json"), ""},
		{"missing directory", "new/dir/secrets.json", filepath.Join(realRoot, "new", "dir", "secrets.json"), ""},
		{"absolute inside", filepath.Join(root, "a.json"), filepath.Join(realRoot, "a.json"), ""},
		{"link inside", "in-link/s.json", filepath.Join(realRoot, "dist", "s.json"), ""},
		{"absolute outside", filepath.Join(outside, "a.json"), "", "outside the workspace"},
		{"dot dot escape", "../escape.json", "", "outside the workspace"},
		{"sneaky dot dot", "dist/../../escape.json", "", "outside the workspace"},
		{"directory link out", "out-link/a.json", "", "outside the workspace"},
		{"dangling file link out", "file-link.json", "", "dangling symbolic link"},
		{"the root itself", ".", "", "outside the workspace"},
		{"a directory", "dist", "", "is a directory"},
		{"empty", "", "", "output path is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := Resolve(root, tc.path)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Resolve(%q) error = %v, want %q", tc.path, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%q): %v", tc.path, err)
			}
			if got != tc.want {
				t.Errorf("Resolve(%q) = %q, want %q", tc.path, got, tc.want)
			}
		})
	}
}

func TestResolveOutsideIsSentinel(t *testing.T) {
	t.Parallel()
	_, err := Resolve(t.TempDir(), "../x")
	if !errors.Is(err, ErrOutsideWorkspace) {
		t.Errorf("error = %v, want ErrOutsideWorkspace", err)
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "s.json")
	must(t, os.MkdirAll(filepath.Dir(path), 0o755))
	stale := filepath.Join(dir, "sub", ".s.json"+tempInfix+"123")
	must(t, os.WriteFile(stale, []byte("torn"), 0o600))
	keep := filepath.Join(dir, "sub", ".other.json"+tempInfix+"123")
	must(t, os.WriteFile(keep, []byte("not ours"), 0o600))

	must(t, Write(path, []byte("one")))
	must(t, Write(path, []byte("two")))

	got, err := os.ReadFile(path)
	must(t, err)
	if string(got) != "two" {
		t.Errorf("content = %q, want %q", got, "two")
	}
	info, err := os.Stat(path)
	must(t, err)
	if info.Mode().Perm() != Mode {
		t.Errorf("mode = %v, want %v", info.Mode().Perm(), os.FileMode(Mode))
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file survived: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("another file's temporary file was removed: %v", err)
	}
	entries, err := os.ReadDir(filepath.Dir(path))
	must(t, err)
	if len(entries) != 2 {
		t.Errorf("directory holds %d entries, want the file and the other temp file", len(entries))
	}
}

func TestWriteFailureKeepsPreviousFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "s.json")
	must(t, os.WriteFile(path, []byte("previous"), 0o644))
	// A directory where the parent should be makes creating the temp file fail.
	err := Write(filepath.Join(path, "child.json"), []byte("new"))
	if err == nil {
		t.Fatal("Write succeeded under a regular file")
	}
	got, _ := os.ReadFile(path)
	if string(got) != "previous" {
		t.Errorf("previous file changed to %q", got)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestWriteOwnedLike(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("changing a file's owner needs root")
	}
	dir := t.TempDir()
	const uid, gid = 4321, 4322
	must(t, os.Chown(dir, uid, gid))
	path := filepath.Join(dir, "new", "sub", "s.json")
	must(t, Write(path, []byte("x"), OwnedLike(dir)))
	for _, p := range []string{path, filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
		info, err := os.Stat(p)
		must(t, err)
		st := info.Sys().(*syscall.Stat_t)
		if st.Uid != uid || st.Gid != gid {
			t.Errorf("%s owned by %d:%d, want %d:%d", p, st.Uid, st.Gid, uid, gid)
		}
	}
}
