package outfile

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// swap is one way to replace the output's directory during a run.
type swap struct {
	name string
	do   func(t *testing.T, ws, outside string)
}

var swaps = []swap{
	{"symlink to a directory outside", func(t *testing.T, ws, outside string) {
		must(t, os.Rename(filepath.Join(ws, "dist"), filepath.Join(ws, "dist.old")))
		must(t, os.Symlink(outside, filepath.Join(ws, "dist")))
	}},
	{"directory moved outside, symlink to it", func(t *testing.T, ws, outside string) {
		moved := filepath.Join(outside, "dist")
		must(t, os.Rename(filepath.Join(ws, "dist"), moved))
		must(t, os.Symlink(moved, filepath.Join(ws, "dist")))
	}},
	{"directory moved outside, nothing in its place", func(t *testing.T, ws, outside string) {
		must(t, os.Rename(filepath.Join(ws, "dist"), filepath.Join(outside, "dist")))
	}},
	{"relative symlink up and out", func(t *testing.T, ws, outside string) {
		must(t, os.Rename(filepath.Join(ws, "dist"), filepath.Join(ws, "dist.old")))
		rel, err := filepath.Rel(ws, outside)
		must(t, err)
		must(t, os.Symlink(rel, filepath.Join(ws, "dist")))
	}},
	{"symlink to another directory inside", func(t *testing.T, ws, outside string) {
		must(t, os.Rename(filepath.Join(ws, "dist"), filepath.Join(ws, "dist.old")))
		must(t, os.Mkdir(filepath.Join(ws, "other"), 0o755))
		must(t, os.Symlink("other", filepath.Join(ws, "dist")))
	}},
}

// moments are the points of a run at which the swap happens: after Target
// resolved the name (while the run talks to AWS), and after each step of
// Write.
var moments = []string{"resolved", "dirs", "temp", "checked", "renamed"}

// TestSwapDuringRun replaces the output's directory at every moment of a run
// in every way: nothing new may appear outside the workspace, no temporary
// file may stay behind, and a Write that succeeds leaves the data where its
// name says inside the workspace.
func TestSwapDuringRun(t *testing.T) {
	t.Parallel()
	for _, output := range []string{"dist/baked.json", "dist/new/baked.json"} {
		for _, sw := range swaps {
			for _, moment := range moments {
				t.Run(output+"/"+sw.name+"/"+moment, func(t *testing.T) {
					t.Parallel()
					root, outside := t.TempDir(), t.TempDir()
					must(t, os.MkdirAll(filepath.Join(root, "dist"), 0o755))
					must(t, os.WriteFile(filepath.Join(root, "dist", "baked.json"), []byte("previous"), 0o644))
					must(t, os.WriteFile(filepath.Join(outside, "baked.json"), []byte("theirs"), 0o644))
					ws := openWorkspace(t, root)
					target, err := ws.Target(output)
					must(t, err)
					defer target.Close()

					var before map[string]string
					swapNow := func() {
						sw.do(t, root, outside)
						before = snapshot(t, outside)
					}
					if moment == "resolved" {
						swapNow()
					}
					target.step = func(step string) {
						if step == moment {
							swapNow()
						}
					}
					data := []byte("new baked file")
					err = target.Write(data)

					after := snapshot(t, outside)
					for path, content := range after {
						if content == string(data) {
							t.Errorf("the new file is outside the workspace at %s", path)
						}
						if strings.HasPrefix(filepath.Base(path), ".secret-baker-") {
							t.Errorf("a temporary file is outside the workspace at %s", path)
						}
						if moment != "renamed" && before[path] != content {
							t.Errorf("%s outside the workspace changed", path)
						}
					}
					for path := range snapshot(t, root) {
						if strings.HasPrefix(filepath.Base(path), ".secret-baker-") {
							t.Errorf("a temporary file stayed at %s", path)
						}
					}
					if err != nil {
						return
					}
					got, rerr := ws.ReadFile(target.Rel())
					if rerr != nil || !bytes.Equal(got, data) {
						t.Errorf("Write succeeded, but %s inside the workspace reads %q, %v", target.Rel(), got, rerr)
					}
				})
			}
		}
	}
}

// snapshot maps every regular file under dir to its content, without
// following symbolic links.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		files[path] = string(data)
		return err
	})
	must(t, err)
	return files
}
