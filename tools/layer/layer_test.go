package main

import (
	"archive/zip"
	"bytes"
	"context"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestLayer builds the layer zip for each architecture, twice, and checks
// its layout, modes, script and binary, and that the same source gives the
// same bytes.
func TestLayer(t *testing.T) {
	t.Parallel()
	for arch, machine := range map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64} {
		t.Run(arch, func(t *testing.T) {
			t.Parallel()
			first, err := build(context.Background(), t.TempDir(), arch)
			if err != nil {
				t.Fatal(err)
			}
			second, err := build(context.Background(), t.TempDir(), arch)
			if err != nil {
				t.Fatal(err)
			}
			a, b := readFile(t, first), readFile(t, second)
			if !bytes.Equal(a, b) {
				t.Error("two builds of the same source gave different zips")
			}
			files := entries(t, a)
			if len(files) != 2 || files[binaryName] == nil || files[scriptName] == nil {
				t.Fatalf("zip holds %d entries, want exactly %s and %s", len(files), binaryName, scriptName)
			}
			for name, e := range files {
				if e.mode != 0o755 {
					t.Errorf("%s has mode %v, want -rwxr-xr-x", name, e.mode)
				}
			}
			checkScript(t, files[scriptName].content)
			checkBinary(t, files[binaryName].content, machine)
		})
	}
}

// entry is a zip entry's mode and content.
type entry struct {
	mode    os.FileMode
	content []byte
}

// entries reads every entry of the zip data.
func entries(t *testing.T, data []byte) map[string]*entry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]*entry{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = &entry{mode: f.Mode(), content: content}
	}
	return files
}

// checkScript checks that the script is the wrapper's, and valid sh.
func checkScript(t *testing.T, content []byte) {
	t.Helper()
	if string(content) != script || !bytes.HasPrefix(content, []byte("#!/bin/sh\n")) ||
		!bytes.Contains(content, []byte(`exec /opt/bin/secret-baker-exec "$@"`)) {
		t.Errorf("script:\n%s", content)
	}
	path := filepath.Join(t.TempDir(), scriptName)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("sh", "-n", path).CombinedOutput(); err != nil {
		t.Errorf("sh -n: %v\n%s", err, out)
	}
}

// checkBinary checks that the binary is a static Linux executable for
// machine, which Lambda's runtimes can all run.
func checkBinary(t *testing.T, content []byte, machine elf.Machine) {
	t.Helper()
	f, err := elf.NewFile(bytes.NewReader(content))
	if err != nil {
		t.Fatalf("%s is not an ELF file: %v", binaryName, err)
	}
	if f.Machine != machine || f.Type != elf.ET_EXEC {
		t.Errorf("%s: machine %v, type %v; want %v, ET_EXEC", binaryName, f.Machine, f.Type, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("%s is dynamically linked", binaryName)
		}
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
