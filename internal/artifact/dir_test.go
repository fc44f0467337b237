package artifact

import (
	"bytes"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// put creates files (name → content) under dir.
func put(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		must(t, os.MkdirAll(filepath.Dir(path), 0o755))
		must(t, os.WriteFile(path, []byte(content), 0o644))
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFromDir(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// setup fills the artifact directory; outside is a directory beside it.
		setup          func(t *testing.T, dir, outside string)
		wantErr        error
		want, unwanted []string
	}{
		{name: "at the root", setup: func(t *testing.T, dir, _ string) {
			put(t, dir, map[string]string{base: string(baked), "index.mjs": "x", "node_modules/a/" + base: "{}"})
		}},
		{name: "symbolic link inside", setup: func(t *testing.T, dir, _ string) {
			put(t, dir, map[string]string{"real/b.json": string(baked)})
			must(t, os.Symlink("real/b.json", filepath.Join(dir, base)))
		}},
		{name: "missing", setup: func(t *testing.T, dir, _ string) { put(t, dir, map[string]string{"index.mjs": "x"}) },
			wantErr: ErrNotFound, want: []string{"holds no " + base}, unwanted: []string{"subfolder"}},
		{name: "in a subfolder", setup: func(t *testing.T, dir, _ string) {
			put(t, dir, map[string]string{"index.mjs": "x", "a/b/" + base: string(baked), "c/" + base: string(baked)})
		}, wantErr: ErrNotFound, want: []string{"only a/b/" + base + " in a subfolder"}},
		{name: "dangling symbolic link", setup: func(t *testing.T, dir, _ string) {
			must(t, os.Symlink("nowhere.json", filepath.Join(dir, base)))
		}, wantErr: ErrNotFound},
		{name: "symbolic link out", setup: func(t *testing.T, dir, outside string) {
			put(t, outside, map[string]string{"x.json": string(baked)})
			must(t, os.Symlink(filepath.Join("..", filepath.Base(outside), "x.json"), filepath.Join(dir, base)))
		}, wantErr: ErrNotRegular, want: []string{"symbolic link that leads out"}},
		{name: "absolute symbolic link", setup: func(t *testing.T, dir, outside string) {
			put(t, outside, map[string]string{"x.json": string(baked)})
			must(t, os.Symlink(filepath.Join(outside, "x.json"), filepath.Join(dir, base)))
		}, wantErr: ErrNotRegular},
		{name: "directory", setup: func(t *testing.T, dir, _ string) { put(t, dir, map[string]string{base + "/x": "x"}) },
			wantErr: ErrNotRegular, want: []string{"a directory"}},
		{name: "named pipe", setup: func(t *testing.T, dir, _ string) { must(t, syscall.Mkfifo(filepath.Join(dir, base), 0o644)) },
			wantErr: ErrNotRegular, want: []string{"a named pipe"}},
		{name: "over the bound", setup: func(t *testing.T, dir, _ string) {
			f, err := os.Create(filepath.Join(dir, base))
			must(t, err)
			must(t, f.Truncate(MaxSize+1)) // sparse
			must(t, f.Close())
		}, wantErr: ErrTooLarge, want: []string{"has 16777217 bytes"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			parent := t.TempDir()
			dir, outside := filepath.Join(parent, "asset"), filepath.Join(parent, "outside")
			must(t, os.Mkdir(dir, 0o755))
			must(t, os.Mkdir(outside, 0o755))
			tc.setup(t, dir, outside)
			root, err := os.OpenRoot(dir)
			must(t, err)
			defer root.Close()
			got, err := FromDir(root, base)
			if tc.wantErr == nil {
				if err != nil || !bytes.Equal(got, baked) {
					t.Fatalf("FromDir = %q, %v; want the baked file", got, err)
				}
				return
			}
			checkRefusal(t, err, tc.wantErr, tc.want, tc.unwanted)
		})
	}
}
