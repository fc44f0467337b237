package outfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// openWorkspace opens dir as a workspace that the test closes.
func openWorkspace(t *testing.T, dir string) *Workspace {
	t.Helper()
	ws, err := OpenWorkspace(dir)
	must(t, err)
	t.Cleanup(func() { ws.Close() })
	return ws
}

func TestRel(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	link := filepath.Join(t.TempDir(), "ws-link")
	must(t, os.Symlink(root, link))
	ws := openWorkspace(t, link)
	real, err := filepath.EvalSymlinks(root)
	must(t, err)

	tests := []struct {
		name    string
		want    string
		wantErr error
	}{
		{"secrets.json", "secrets.json", nil},
		{"./dist//secrets.json", "dist/secrets.json", nil},
		{".", ".", nil},
		{filepath.Join(link, "a.json"), "a.json", nil},
		{filepath.Join(real, "dist", "a.json"), "dist/a.json", nil},
		{"../escape.json", "", ErrOutsideWorkspace},
		{"dist/../../escape.json", "", ErrOutsideWorkspace},
		{"/etc/passwd", "", ErrOutsideWorkspace},
		{filepath.Join(link, "..", "x.json"), "", ErrOutsideWorkspace},
		{"dist\n::warning::x", "", ErrUnsafeName},
		{"dist\r::stop-commands::x", "", ErrUnsafeName},
		{"a\x1b[2J.json", "", ErrUnsafeName},
		{"nul\x00.json", "", ErrUnsafeName},
		{"gnp\u202e.json", "", ErrUnsafeName},
		{"c1\u0085.json", "", ErrUnsafeName},
		{"bad\xff.json", "", ErrUnsafeName},
	}
	for _, tc := range tests {
		got, err := ws.Rel(tc.name)
		if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
			t.Errorf("Rel(%q) error = %v, want %v", tc.name, err, tc.wantErr)
			continue
		}
		if filepath.ToSlash(got) != tc.want {
			t.Errorf("Rel(%q) = %q, want %q", tc.name, got, tc.want)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\r\n\x1b\x00\u202e\u0085") {
			t.Errorf("Rel(%q) error %q holds the control character raw", tc.name, err)
		}
	}
	if _, err := ws.Rel(""); err == nil {
		t.Error("Rel(\"\") succeeded")
	}
}

func TestTarget(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "dist"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "file"), nil, 0o644))
	must(t, os.WriteFile(filepath.Join(outside, "x.json"), nil, 0o644))
	must(t, os.Symlink(outside, filepath.Join(root, "out-link")))
	must(t, os.Symlink("dist", filepath.Join(root, "in-link")))
	must(t, os.Symlink("nowhere", filepath.Join(root, "dangling")))
	must(t, os.Symlink(filepath.Join(outside, "x.json"), filepath.Join(root, "file-link-out.json")))
	must(t, os.Symlink("file", filepath.Join(root, "file-link-in.json")))
	must(t, syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644))
	ws := openWorkspace(t, root)

	tests := []struct {
		name    string
		want    string // Rel
		wantErr string
	}{
		{"secrets.json", "secrets.json", ""},
		{"dist/secrets.json", "dist/secrets.json", ""},
		{"new/dir/secrets.json", "new/dir/secrets.json", ""},
		{filepath.Join(root, "a.json"), "a.json", ""},
		{"in-link/s.json", "in-link/s.json", ""},
		{strings.Repeat("n", 255), strings.Repeat("n", 255), ""},
		{filepath.Join(outside, "a.json"), "", "outside the workspace"},
		{"../escape.json", "", "outside the workspace"},
		{"dist/../../escape.json", "", "outside the workspace"},
		{"out-link/a.json", "", "outside the workspace"},
		{"out-link/new/a.json", "", "outside the workspace"},
		{"file-link-out.json", "", "is a symbolic link"},
		{"file-link-in.json", "", "is a symbolic link"},
		{"dangling/a.json", "", "dangling symbolic link"},
		{"file/a.json", "", "not a directory"},
		{".", "", "the workspace itself"},
		{"dist", "", "is a directory"},
		{"fifo", "", "is a named pipe"},
		{"", "", "empty"},
		{"dist\n::warning::x", "", "control character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := ws.Target(tc.name)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Target(%q) error = %v, want %q", tc.name, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Target(%q): %v", tc.name, err)
			}
			defer got.Close()
			if got.Rel() != tc.want {
				t.Errorf("Target(%q).Rel() = %q, want %q", tc.name, got.Rel(), tc.want)
			}
		})
	}
	_, err := ws.Target("out-link/a.json")
	if !errors.Is(err, ErrOutsideWorkspace) {
		t.Errorf("a link out: error = %v, want ErrOutsideWorkspace", err)
	}
}

func TestReadFile(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "dist"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "dist", "baked.json"), []byte("inside"), 0o644))
	must(t, os.WriteFile(filepath.Join(outside, "x.json"), []byte("outside"), 0o644))
	must(t, os.Symlink(outside, filepath.Join(root, "out-link")))
	must(t, os.Symlink("dist/baked.json", filepath.Join(root, "in-link.json")))
	must(t, syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644))
	ws := openWorkspace(t, root)

	tests := []struct {
		name    string
		want    string
		wantErr string
	}{
		{"dist/baked.json", "inside", ""},
		{"in-link.json", "inside", ""},
		{filepath.Join(root, "dist", "baked.json"), "inside", ""},
		{"out-link/x.json", "", "outside the workspace"},
		{filepath.Join(outside, "x.json"), "", "outside the workspace"},
		{"../x.json", "", "outside the workspace"},
		{"dist", "", "is a directory"},
		{"fifo", "", "is a named pipe"},
		{"missing.json", "", "no such file"},
		{"dist/\x1b[2Jbaked.json", "", "control character"},
	}
	for _, tc := range tests {
		got, err := ws.ReadFile(tc.name)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ReadFile(%q) error = %v, want %q", tc.name, err, tc.wantErr)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("ReadFile(%q) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"s.json", strings.Repeat("x", 250), strings.Repeat("y", 255)} {
		t.Run(base[:1], func(t *testing.T) {
			t.Parallel()
			root := t.TempDir()
			ws := openWorkspace(t, root)
			dir := filepath.Join(root, "sub")
			must(t, os.MkdirAll(dir, 0o755))
			stale := filepath.Join(dir, strings.Replace(TempPattern(base), "*", "123", 1))
			must(t, os.WriteFile(stale, []byte("torn"), 0o600))
			keep := filepath.Join(dir, strings.Replace(TempPattern("other.json"), "*", "123", 1))
			must(t, os.WriteFile(keep, []byte("not ours"), 0o600))

			for _, data := range []string{"one", "two"} {
				target, err := ws.Target("sub/" + base)
				must(t, err)
				must(t, target.Write([]byte(data)))
				target.Close()
			}

			path := filepath.Join(dir, base)
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
			entries, err := os.ReadDir(dir)
			must(t, err)
			if len(entries) != 2 {
				t.Errorf("directory holds %d entries, want the file and the other temp file", len(entries))
			}
		})
	}
}

func TestWriteCreatesDirectories(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	ws := openWorkspace(t, root)
	target, err := ws.Target("a/b/c/s.json")
	must(t, err)
	defer target.Close()
	must(t, target.Write([]byte("x")))
	got, err := os.ReadFile(filepath.Join(root, "a", "b", "c", "s.json"))
	if err != nil || string(got) != "x" {
		t.Errorf("file = %q, %v", got, err)
	}
}

func TestWriteFailureKeepsPreviousFile(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	path := filepath.Join(root, "s.json")
	must(t, os.WriteFile(path, []byte("previous"), 0o644))
	ws := openWorkspace(t, root)
	target, err := ws.Target("s.json")
	must(t, err)
	defer target.Close()
	// A directory put where the file is makes the rename fail.
	must(t, os.Remove(path))
	must(t, os.Mkdir(path, 0o755))
	must(t, os.WriteFile(filepath.Join(path, "keep"), []byte("previous"), 0o644))
	if err := target.Write([]byte("new")); err == nil {
		t.Fatal("Write replaced a directory")
	}
	got, _ := os.ReadFile(filepath.Join(path, "keep"))
	if string(got) != "previous" {
		t.Errorf("previous content changed to %q", got)
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 {
		t.Errorf("the workspace holds %d entries, want only the directory: the temporary file stayed", len(entries))
	}
}

func TestWriteOwner(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("changing a file's owner needs root")
	}
	root := t.TempDir()
	const uid, gid = 4321, 4322
	must(t, os.Chown(root, uid, gid))
	ws := openWorkspace(t, root)
	target, err := ws.Target("new/sub/s.json")
	must(t, err)
	defer target.Close()
	must(t, target.Write([]byte("x"), ws.Owner()))
	for _, p := range []string{"new/sub/s.json", "new/sub", "new"} {
		info, err := os.Stat(filepath.Join(root, p))
		must(t, err)
		st := info.Sys().(*syscall.Stat_t)
		if st.Uid != uid || st.Gid != gid {
			t.Errorf("%s owned by %d:%d, want %d:%d", p, st.Uid, st.Gid, uid, gid)
		}
	}
}

// TestTargetRefusesRunInputs checks that no name of a file the run read,
// through a directory link or a hard link too, can be the output.
func TestTargetRefusesRunInputs(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, ".github", "schemas"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, ".github", "secret-baker.yml"), []byte("spec"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, ".github", "schemas", "s.json"), []byte("{}"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "unread.json"), []byte("x"), 0o644))
	must(t, os.Symlink(".github", filepath.Join(root, "gh")))
	must(t, os.Link(filepath.Join(root, ".github", "schemas", "s.json"), filepath.Join(root, "hard.json")))
	ws := openWorkspace(t, root)
	for _, name := range []string{".github/secret-baker.yml", ".github/schemas/s.json"} {
		if _, err := ws.ReadFile(name); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{".github/secret-baker.yml", "./.github/schemas/s.json", filepath.Join(root, ".github", "secret-baker.yml"), "gh/secret-baker.yml", "hard.json"} {
		if _, err := ws.Target(name); !errors.Is(err, ErrRunInput) {
			t.Errorf("Target(%q) error = %v, want ErrRunInput", name, err)
		}
	}
	target, err := ws.Target("unread.json")
	must(t, err)
	target.Close()

	// An input moved into the output's place after Target is refused by Write.
	target, err = ws.Target("dist.json")
	must(t, err)
	defer target.Close()
	must(t, os.Link(filepath.Join(root, ".github", "secret-baker.yml"), filepath.Join(root, "dist.json")))
	if err := target.Write([]byte("baked")); !errors.Is(err, ErrRunInput) {
		t.Errorf("Write over an input: error = %v, want ErrRunInput", err)
	}
	if got, _ := os.ReadFile(filepath.Join(root, ".github", "secret-baker.yml")); string(got) != "spec" {
		t.Errorf("the spec now holds %q", got)
	}
}

// TestOpenDir checks that a directory opened by Open is held as a root of
// its own only while its name still leads to it.
func TestOpenDir(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "asset", "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "asset", "f"), []byte("in asset"), 0o644))
	must(t, syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644))
	ws := openWorkspace(t, root)

	f, info, err := ws.Open("asset")
	must(t, err)
	defer f.Close()
	if !info.IsDir() {
		t.Fatalf("Open(asset) is %v, want a directory", info.Mode())
	}
	dir, err := ws.OpenDir("asset", info)
	must(t, err)
	got, err := dir.ReadFile("f")
	dir.Close()
	if err != nil || string(got) != "in asset" {
		t.Errorf("through the held directory: %q, %v", got, err)
	}

	must(t, os.Rename(filepath.Join(root, "asset"), filepath.Join(root, "moved")))
	must(t, os.Mkdir(filepath.Join(root, "asset"), 0o755))
	if dir, err := ws.OpenDir("asset", info); err == nil || !strings.Contains(err.Error(), "moved or replaced") {
		t.Errorf("OpenDir of a replaced directory: error = %v", err)
		if dir != nil {
			dir.Close()
		}
	}
	if _, _, err := ws.Open("fifo"); err == nil || !strings.Contains(err.Error(), "is a named pipe") {
		t.Errorf("Open(fifo) error = %v, want a refusal", err)
	}
}
