package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/org/secret-baker/baked"
)

// TestStaticBinaryInEmptyRoot proves the release binary runs in a
// distroless/static image: it is built as the Dockerfile builds it and run
// as the runner runs a container action, as root, chrooted into a directory
// that holds only the binary, CA certificates and the mounted workspace.
func TestStaticBinaryInEmptyRoot(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("chroot needs root")
	}
	f := newFixture(t)
	root := t.TempDir()
	build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", filepath.Join(root, "secret-baker"), ".")
	build.Dir = repoRoot
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	certs, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	if err != nil {
		t.Fatal(err)
	}
	const workspaceOwner = 1001
	writeFiles(t, root, map[string]string{
		"etc/ssl/certs/ca-certificates.crt":         string(certs),
		"github/workspace/.github/secret-baker.yml": "kms-key-id: " + f.keyAlias + "\nsecrets:\n  A: {path: " + f.put(t, "/a", "value-a") + ", regex: '^value'}\n",
		"github/file_commands/output":               "",
	})
	if err := os.Chown(filepath.Join(root, "github", "workspace"), workspaceOwner, workspaceOwner); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command("/secret-baker")
	cmd.SysProcAttr = &syscall.SysProcAttr{Chroot: root}
	cmd.Dir = "/"
	cmd.Env = append(f.proxy.Env(region),
		"GITHUB_ACTIONS=true",
		"GITHUB_WORKSPACE=/github/workspace",
		"GITHUB_OUTPUT=/github/file_commands/output",
		"INPUT_CONFIG=.github/secret-baker.yml",
	)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run in empty root: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}

	out := filepath.Join(root, "github", "workspace", baked.DefaultName)
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st := info.Sys().(*syscall.Stat_t); st.Uid != workspaceOwner || st.Gid != workspaceOwner {
		t.Errorf("baked file owned by %d:%d, want the workspace owner %d", st.Uid, st.Gid, workspaceOwner)
	}
	outputs, err := os.ReadFile(filepath.Join(root, "github", "file_commands", "output"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(outputs), "\n"+baked.DefaultName+"\n") {
		t.Errorf("outputs lack the file:\n%s", outputs)
	}
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if name := e.Name(); name != "secret-baker" && name != "etc" && name != "github" {
			t.Errorf("the root holds %q besides the binary, certificates and workspace", name)
		}
	}
}
