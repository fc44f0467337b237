package main

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// script is the layer's AWS_LAMBDA_EXEC_WRAPPER: Lambda runs it with the
// runtime's command line as its arguments.
const script = `#!/bin/sh
# AWS_LAMBDA_EXEC_WRAPPER=/opt/secret-baker-exec: decrypts the baked file
# into environment variables, then runs the runtime's command line.
exec /opt/bin/secret-baker-exec "$@"
`

// Where the layer puts its files, relative to /opt.
const (
	binaryName = "bin/secret-baker-exec"
	scriptName = "secret-baker-exec"
)

// modified is every zip entry's time, so that the same binary gives the same
// zip.
var modified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// build compiles the wrapper for linux/arch into out/linux-arch/ and writes
// out/secret-baker-exec-layer-linux-arch.zip, whose path it returns.
func build(ctx context.Context, out, arch string) (string, error) {
	binary := filepath.Join(out, "linux-"+arch, "secret-baker-exec")
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary, "github.com/org/secret-baker/cmd/secret-baker-exec")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+arch, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build for linux/%s: %w\n%s", arch, err, b)
	}
	path := filepath.Join(out, "secret-baker-exec-layer-linux-"+arch+".zip")
	if err := writeZip(path, binary); err != nil {
		return "", fmt.Errorf("failed to write %s: %w", path, err)
	}
	return path, nil
}

// writeZip writes the layer zip holding binary and the script, both
// executable.
func writeZip(path, binary string) (err error) {
	bin, err := os.Open(binary)
	if err != nil {
		return err
	}
	defer bin.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, e := range []struct {
		name    string
		content io.Reader
	}{{binaryName, bin}, {scriptName, strings.NewReader(script)}} {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: modified}
		h.SetMode(0o755)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, e.content); err != nil {
			return err
		}
	}
	return zw.Close()
}
