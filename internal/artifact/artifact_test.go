package artifact

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/testing/ziptest"
)

func TestRead(t *testing.T) {
	t.Parallel()
	ws := t.TempDir()
	outside := t.TempDir()
	put(t, ws, map[string]string{
		"dist/" + base:               string(baked),
		"cdk.out/asset.1/" + base:    string(baked),
		"cdk.out/asset.2/index.mjs":  "x",
		".serverless/app.zip":        string(ziptest.Build(t, ziptest.Deflated(base, baked))),
		".serverless/other.zip":      string(ziptest.Build(t, ziptest.Stored("lib/"+base, baked))),
		"build/api":                  string(ziptest.Build(t, ziptest.Stored(base, baked))), // a zip archive by its content
		"empty.zip":                  string(ziptest.Build(t)),
		"not-json.txt":               "plain text",
		"named/app-secrets.json/x":   "a directory",
		"named/dir/app-secrets.json": string(baked),
	})
	must(t, os.Symlink(outside, filepath.Join(ws, "out")))
	w, err := outfile.OpenWorkspace(ws)
	must(t, err)
	defer w.Close()

	tests := []struct {
		name, base string
		inside     string // want
		wantErr    error
		want       string // in the message
	}{
		{name: "dist/" + base, base: base},
		{name: "cdk.out/asset.1", base: base, inside: base},
		{name: "cdk.out/asset.1/", base: base, inside: base},
		{name: filepath.Join(ws, ".serverless", "app.zip"), base: base, inside: base},
		{name: "build/api", base: base, inside: base},
		{name: "named/dir", base: "app-secrets.json", inside: "app-secrets.json"},
		{name: "not-json.txt", base: base}, // read as it is: the JSON parser refuses it
		{name: "cdk.out/asset.2", base: base, wantErr: ErrNotFound, want: "cdk.out/asset.2 holds no " + base},
		{name: ".serverless/other.zip", base: base, wantErr: ErrNotFound, want: ".serverless/other.zip holds no " + base + " at its root, where the readers look for it, only lib/" + base},
		{name: "empty.zip", base: base, wantErr: ErrNotFound, want: "empty.zip holds no"},
		{name: "named", base: "app-secrets.json", wantErr: ErrNotRegular, want: "named is refused: its app-secrets.json is not a regular file but a directory"},
		{name: "out", base: base, wantErr: outfile.ErrOutsideWorkspace},
		{name: "../x.zip", base: base, wantErr: outfile.ErrOutsideWorkspace},
		{name: "missing.zip", base: base, wantErr: os.ErrNotExist},
	}
	for _, tc := range tests {
		data, inside, err := Read(w, tc.name, tc.base)
		if tc.wantErr != nil {
			if !errors.Is(err, tc.wantErr) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read(%q) error = %v, want %v with %q", tc.name, err, tc.wantErr, tc.want)
			}
			continue
		}
		if err != nil || inside != tc.inside {
			t.Errorf("Read(%q) = inside %q, %v; want inside %q", tc.name, inside, err, tc.inside)
			continue
		}
		if tc.name != "not-json.txt" && !bytes.Equal(data, baked) {
			t.Errorf("Read(%q) = %q, want the baked file", tc.name, data)
		}
	}
}
