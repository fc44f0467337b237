package outfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"syscall"

	"github.com/org/secret-baker/internal/escape"
)

// Reasons a name is refused; test with errors.Is.
var (
	// ErrOutsideWorkspace is wrapped by errors for names that lead outside
	// the workspace, by "..", an absolute path or a symbolic link.
	ErrOutsideWorkspace = errors.New("outside the workspace")
	// ErrUnsafeName is wrapped by errors for names holding a control
	// character, a line or bidirectional formatting character or invalid
	// UTF-8: no file name needs one, and printed they could forge output.
	ErrUnsafeName = errors.New("control character in a file name")
	// ErrNotRegular is wrapped by errors for names of directories, pipes and
	// other files that are not regular files.
	ErrNotRegular = errors.New("not a regular file")
	// ErrRunInput is wrapped by Target's and Write's errors for a file the
	// run has read through the workspace, such as the spec.
	ErrRunInput = errors.New("an input of this run")
)

// Workspace is the workspace directory, held open for a whole run: every
// file secret-baker reads or writes in it is opened through it (os.Root), so
// that no name leads outside it, whatever links or directories change while
// the run goes on.
type Workspace struct {
	root *os.Root
	abs  string // the directory as opened, absolute
	real string // abs with symbolic links resolved

	mu     sync.Mutex
	inputs []input // the files ReadFile read
}

// input is a file the run read: its name relative to the workspace and what
// it was.
type input struct {
	name string
	info fs.FileInfo
}

// OpenWorkspace opens dir as the workspace.
func OpenWorkspace(dir string) (*Workspace, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("failed to open the workspace %q: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("failed to open the workspace %q: %w", dir, err)
	}
	root, err := os.OpenRoot(real)
	if err != nil {
		return nil, fmt.Errorf("failed to open the workspace %q: %w", dir, err)
	}
	return &Workspace{root: root, abs: abs, real: real}, nil
}

// Close releases the workspace.
func (w *Workspace) Close() error { return w.root.Close() }

// Root returns the held workspace directory, for readers that take an
// *os.Root. It stays owned by w.
func (w *Workspace) Root() *os.Root { return w.root }

// Rel returns name, relative to the workspace or absolute inside it, as a
// clean path relative to the workspace, without touching the file system.
// It refuses an empty name, an unsafe one (ErrUnsafeName) and one that leads
// out lexically (ErrOutsideWorkspace); links are the business of each use.
func (w *Workspace) Rel(name string) (string, error) {
	if name == "" {
		return "", errors.New("the file name is empty")
	}
	if i := escape.Unsafe(name); i >= 0 {
		return "", fmt.Errorf("%q: %w at byte %d", name, ErrUnsafeName, i)
	}
	rel := filepath.Clean(name)
	if filepath.IsAbs(rel) {
		abs := rel
		if rel = relativeTo(w.abs, abs); rel == "" {
			rel = relativeTo(w.real, abs)
		}
	}
	if rel == "" || (rel != "." && !filepath.IsLocal(rel)) {
		return "", fmt.Errorf("%q is %w", name, ErrOutsideWorkspace)
	}
	return rel, nil
}

// relativeTo returns path relative to dir when it is dir or below it, else "".
func relativeTo(dir, path string) string {
	rel, err := filepath.Rel(dir, path)
	if err != nil || (rel != "." && !filepath.IsLocal(rel)) {
		return ""
	}
	return rel
}

// ReadFile reads the regular file name (see Rel) through the workspace.
// Symbolic links are followed while they stay inside it. A named pipe is
// refused rather than waited on. The file becomes an input of the run, which
// Target and Write refuse to replace.
func (w *Workspace) ReadFile(name string) ([]byte, error) {
	f, info, err := w.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info.IsDir() {
		return nil, fmt.Errorf("%q is %s, %w", name, FileKind(info.Mode()), ErrNotRegular)
	}
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("failed to read %q: %w", name, err)
	}
	return data, nil
}

// Open opens the regular file or directory name (see Rel) through the
// workspace for reading, as ReadFile does, and returns it with what it is.
// It becomes an input of the run. The caller closes it.
func (w *Workspace) Open(name string) (*os.File, fs.FileInfo, error) {
	rel, err := w.Rel(name)
	if err != nil {
		return nil, nil, err
	}
	f, err := w.root.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("failed to open %q: %w", name, classify(err))
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("failed to read %q: %w", name, err)
	}
	if !info.Mode().IsRegular() && !info.IsDir() {
		f.Close()
		return nil, nil, fmt.Errorf("%q is %s, %w", name, FileKind(info.Mode()), ErrNotRegular)
	}
	w.mu.Lock()
	w.inputs = append(w.inputs, input{name: filepath.ToSlash(rel), info: info})
	w.mu.Unlock()
	return f, info, nil
}

// OpenDir holds the directory name, which Open returned as dir, as a root
// of its own: symbolic links in it are followed only while they stay inside
// it. It fails when name is no longer that directory. The caller closes it.
func (w *Workspace) OpenDir(name string, dir fs.FileInfo) (*os.Root, error) {
	rel, err := w.Rel(name)
	if err != nil {
		return nil, err
	}
	root, err := w.root.OpenRoot(rel)
	if err != nil {
		return nil, fmt.Errorf("failed to open %q: %w", name, classify(err))
	}
	if now, err := root.Stat("."); err != nil || !os.SameFile(now, dir) {
		root.Close()
		return nil, fmt.Errorf("%q was moved or replaced during the run", name)
	}
	return root, nil
}

// isInput returns an error wrapping ErrRunInput when info is a file the run
// read, by whatever name.
func (w *Workspace) isInput(name string, info fs.FileInfo) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, in := range w.inputs {
		if os.SameFile(in.info, info) {
			return fmt.Errorf("%q is %w (%q): choose another output", name, ErrRunInput, in.name)
		}
	}
	return nil
}

// escapesMessage is how os.Root says a name leads out of it; the error it
// wraps is not exported.
const escapesMessage = "path escapes from parent"

// classify makes an os.Root refusal to leave the root an ErrOutsideWorkspace
// error and leaves any other error as it is.
func classify(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Err != nil && pe.Err.Error() == escapesMessage {
		return fmt.Errorf("a symbolic link leads %w", ErrOutsideWorkspace)
	}
	return err
}

// FileKind names the type of file mode m for messages: "a directory", "a named pipe"...
func FileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	default:
		return "a special file"
	}
}
