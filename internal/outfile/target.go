package outfile

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Target is a file to be written inside the workspace, resolved once: the
// deepest of its directories that exists is held open from Target until
// Close, and the missing ones are created below it. Nothing is ever looked up
// again by a name that starts above that directory.
type Target struct {
	ws      *Workspace
	rel     string   // the name relative to the workspace, as reported
	dir     *os.Root // the deepest existing directory of rel, held
	dirRel  string   // its name relative to the workspace
	missing []string // the directories to create below dir, in order
	base    string

	step func(step string) // test hook, called after each step of Write
}

// Target resolves name (see Rel) for writing: it fails when the name, or a
// symbolic link on its way, leads outside the workspace, when the name is a
// directory, a symbolic link or another non-regular file, or when it is a
// file the run read (ErrRunInput). Close releases it.
func (w *Workspace) Target(name string) (*Target, error) {
	rel, err := w.Rel(name)
	if err != nil {
		return nil, err
	}
	if rel == "." {
		return nil, fmt.Errorf("%q is the workspace itself, a directory", name)
	}
	t := &Target{ws: w, rel: filepath.ToSlash(rel), base: filepath.Base(rel)}
	t.dirRel = filepath.Dir(rel)
	for {
		t.dir, err = w.root.OpenRoot(t.dirRel)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) || t.dirRel == "." {
			return nil, fmt.Errorf("failed to open the directory of %q: %w", name, classify(err))
		}
		if info, lerr := w.root.Lstat(t.dirRel); lerr == nil && info.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("the directory of %q is a dangling symbolic link", name)
		}
		t.missing = append([]string{filepath.Base(t.dirRel)}, t.missing...)
		t.dirRel = filepath.Dir(t.dirRel)
	}
	if len(t.missing) == 0 {
		info, err := t.dir.Lstat(t.base)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			t.dir.Close()
			return nil, fmt.Errorf("failed to inspect %q: %w", name, err)
		case !info.Mode().IsRegular():
			t.dir.Close()
			return nil, fmt.Errorf("%q is %s, %w", name, FileKind(info.Mode()), ErrNotRegular)
		default:
			if err := w.isInput(name, info); err != nil {
				t.dir.Close()
				return nil, err
			}
		}
	}
	return t, nil
}

// ReadCurrent reads the file the target would replace, through the held
// directory, without making it an input of the run; an error wrapping
// fs.ErrNotExist when there is none.
func (t *Target) ReadCurrent() ([]byte, error) {
	if len(t.missing) > 0 {
		return nil, fmt.Errorf("%q: %w", t.rel, fs.ErrNotExist)
	}
	f, err := t.dir.OpenFile(t.base, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%q is not a regular file", t.rel)
	}
	return io.ReadAll(f)
}

// Rel returns the target's name relative to the workspace, with forward
// slashes: what outputs report.
func (t *Target) Rel() string { return t.rel }

// Close releases the held directory.
func (t *Target) Close() error { return t.dir.Close() }

// Mode is the permission of a written file: the Lambda runtime reads the file
// as another user, and it holds ciphertext only.
const Mode = 0o644

// Option configures Write: it is applied to every directory Write creates
// and to the file, each open, before the file takes its place.
type Option func(f *os.File) error

// Owner returns the Option that gives what Write creates the owner and group
// of the workspace when this process runs as root: the Actions runner starts
// container steps as root, and the file belongs to the user's workspace.
func (w *Workspace) Owner() Option {
	return func(f *os.File) error {
		if os.Geteuid() != 0 {
			return nil
		}
		info, err := w.root.Stat(".")
		if err != nil {
			return fmt.Errorf("failed to read the owner of the workspace: %w", err)
		}
		uid, gid, ok := owner(info)
		if !ok {
			return nil
		}
		if err := f.Chown(uid, gid); err != nil {
			return fmt.Errorf("failed to give %q the owner of the workspace: %w", f.Name(), err)
		}
		return nil
	}
}

// Write replaces the target with data atomically: it creates the missing
// directories, writes a temporary file in the target's directory, syncs it
// and renames it over the target. Temporary files an earlier crashed run left
// for the same target are removed first. Write refuses to replace a file the
// run read, even one that took the target's place. When the target's directory is no
// longer the one the workspace holds under its name (it was moved or swapped
// for a link during the run), Write fails and leaves no new file. On failure
// the previous file is left as it was.
func (t *Target) Write(data []byte, opts ...Option) (err error) {
	dir, err := t.makeDirs(opts)
	if err != nil {
		return err
	}
	if dir != t.dir {
		defer dir.Close()
	}
	t.after("dirs")
	removeStale(dir, t.base)
	tmp, err := createTemp(dir, t.base)
	if err != nil {
		return fmt.Errorf("failed to create a temporary file for %q: %w", t.rel, err)
	}
	tmpName := filepath.Base(tmp.Name())
	renamed := false
	defer func() {
		if err != nil && !renamed {
			tmp.Close()
			dir.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("failed to write %q: %w", t.rel, err)
	}
	if err := tmp.Chmod(Mode); err != nil {
		return fmt.Errorf("failed to set the mode of %q: %w", t.rel, err)
	}
	if err := apply(tmp, opts); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("failed to sync %q: %w", t.rel, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("failed to close %q: %w", t.rel, err)
	}
	t.after("temp")
	if err := t.inPlace(dir); err != nil {
		return err
	}
	if info, err := dir.Lstat(t.base); err == nil {
		if err := t.ws.isInput(t.rel, info); err != nil {
			return err
		}
	}
	t.after("checked")
	if err := dir.Rename(tmpName, t.base); err != nil {
		return fmt.Errorf("failed to replace %q: %w", t.rel, err)
	}
	renamed = true
	t.after("renamed")
	if err := t.inPlace(dir); err != nil {
		dir.Remove(t.base) // it is not where the workspace has it
		return err
	}
	return syncDir(dir)
}

// after calls the test hook, if any.
func (t *Target) after(step string) {
	if t.step != nil {
		t.step(step)
	}
}

// makeDirs creates the missing directories one below the other, each through
// its held parent, and returns the target's directory, held.
func (t *Target) makeDirs(opts []Option) (*os.Root, error) {
	dir := t.dir
	for _, name := range t.missing {
		if err := dir.Mkdir(name, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("failed to create the directory of %q: %w", t.rel, err)
		}
		sub, err := dir.OpenRoot(name)
		if dir != t.dir {
			dir.Close()
		}
		if err != nil {
			return nil, fmt.Errorf("failed to open the directory of %q: %w", t.rel, classify(err))
		}
		dir = sub
		if err := applyToDir(dir, opts); err != nil {
			dir.Close()
			return nil, err
		}
	}
	return dir, nil
}

// inPlace checks that dir is still the directory the workspace holds at the
// target's directory name.
func (t *Target) inPlace(dir *os.Root) error {
	held, err := dir.Stat(".")
	if err != nil {
		return fmt.Errorf("failed to inspect the directory of %q: %w", t.rel, err)
	}
	now, err := t.ws.root.Stat(filepath.Dir(filepath.FromSlash(t.rel)))
	if err != nil || !os.SameFile(held, now) {
		return fmt.Errorf("the directory of %q was moved or replaced during the run: %w", t.rel, ErrDirectoryChanged)
	}
	return nil
}

// ErrDirectoryChanged is wrapped by Write's error when the target's directory
// was moved or replaced after Target resolved it.
var ErrDirectoryChanged = errors.New("no file was written")

func applyToDir(dir *os.Root, opts []Option) error {
	if len(opts) == 0 {
		return nil
	}
	f, err := dir.Open(".")
	if err != nil {
		return err
	}
	defer f.Close()
	return apply(f, opts)
}

func apply(f *os.File, opts []Option) error {
	for _, o := range opts {
		if err := o(f); err != nil {
			return err
		}
	}
	return nil
}

// tempPrefix starts the name of every temporary file for base: short, so
// that it fits where base itself just fits (NAME_MAX, 255 bytes on Linux),
// and the same for the same base, so that a later run finds what a crashed
// one left.
func tempPrefix(base string) string {
	sum := sha256.Sum256([]byte(base))
	return ".secret-baker-" + hex.EncodeToString(sum[:6]) + "-"
}

// tempSuffix ends every temporary file name.
const tempSuffix = ".tmp"

// TempPattern returns the filepath.Match pattern of the names of the
// temporary files Write makes for a file named base.
func TempPattern(base string) string { return tempPrefix(base) + "*" + tempSuffix }

// createTemp creates a new temporary file for base in dir, readable by its
// owner only until Write sets Mode.
func createTemp(dir *os.Root, base string) (*os.File, error) {
	for range 10 {
		buf := make([]byte, 6)
		if _, err := rand.Read(buf); err != nil {
			return nil, err
		}
		f, err := dir.OpenFile(tempPrefix(base)+hex.EncodeToString(buf)+tempSuffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, errors.New("no free temporary file name")
}

// removeStale deletes the temporary files a crashed run left for base.
func removeStale(dir *os.Root, base string) {
	d, err := dir.Open(".")
	if err != nil {
		return
	}
	names, _ := d.Readdirnames(-1)
	d.Close()
	for _, n := range names {
		if ok, _ := filepath.Match(TempPattern(base), n); ok {
			dir.Remove(n)
		}
	}
}

// syncDir makes the rename durable.
func syncDir(dir *os.Root) error {
	d, err := dir.Open(".")
	if err != nil {
		return fmt.Errorf("failed to open a directory to sync it: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("failed to sync a directory: %w", err)
	}
	return nil
}
