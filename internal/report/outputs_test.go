package report

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWriteOutputsInjection tries to smuggle a second output through a name
// or a value: names are refused, values come back as exactly one output.
func TestWriteOutputsInjection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		out     output
		wantErr string
	}{
		{"value with a newline and NAME=VALUE", output{"file", "a.json\ndigest=sha256:evil"}, ""},
		{"value with a heredoc", output{"names", "[]\nevil<<EOF\nx\nEOF"}, ""},
		{"value with a guessed delimiter", output{"file", "x\nghadelimiter_00000000000000000000000000000000\nevil=1"}, ""},
		{"value with CR LF", output{"count", "1\r\nevil=1"}, ""},
		{"name with =", output{"file=x\nevil", "v"}, `invalid name "file=x\nevil"`},
		{"name with <<", output{"a<<b", "v"}, `invalid name "a<<b"`},
		{"empty name", output{"", "v"}, `invalid name ""`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "output")
			err := writeOutputsTo(path, []output{tc.out})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error = %v, want %q", err, tc.wantErr)
				}
				if data, _ := os.ReadFile(path); len(data) != 0 {
					t.Errorf("the outputs file was written")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseOutputFile(string(data))
			if err != nil {
				t.Fatal(err)
			}
			if want := []output{tc.out}; !slices.Equal(got, want) {
				t.Errorf("the runner reads %q, want %q", got, want)
			}
		})
	}
}
