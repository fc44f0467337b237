package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// FuzzWriteOutputs writes arbitrary outputs after an earlier one: writeOutputs must either fail
// and leave the file as it was, or append exactly the given outputs as the runner reads them,
// so that no name or value can inject another output. It may only refuse invalid names.
func FuzzWriteOutputs(f *testing.F) {
	path := filepath.Join(f.TempDir(), "output")
	const earlier = "earlier=1\n"
	f.Fuzz(func(t *testing.T, name1, value1, name2, value2 string) {
		if err := os.WriteFile(path, []byte(earlier), 0o644); err != nil {
			t.Fatal(err)
		}
		outs := []output{{name1, value1}, {name2, value2}}

		err := writeOutputsTo(path, outs)

		data, rerr := os.ReadFile(path)
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			if string(data) != earlier {
				t.Fatalf("failed write (%v) changed the file to %q", err, data)
			}
			if outputName.MatchString(name1) && outputName.MatchString(name2) {
				t.Fatalf("valid names refused: %v", err)
			}
			return
		}
		got, err := parseOutputFile(string(data))
		if err != nil {
			t.Fatalf("the runner would reject the file: %v\n%q", err, data)
		}
		if want := append([]output{{"earlier", "1"}}, outs...); !slices.Equal(got, want) {
			t.Fatalf("the runner reads %q, want %q\nfile: %q", got, want, data)
		}
	})
}

// writeOutputsTo appends outs to the file at path, as the reporter does to GITHUB_OUTPUT.
func writeOutputsTo(path string, outs []output) error {
	f, err := openAppend(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return writeOutputs(f, outs)
}

// parseOutputFile reads a GITHUB_OUTPUT file as the Actions runner does on Linux
// (actions/runner, src/Runner.Worker/FileCommandManager.cs): lines end at LF; an empty line is
// skipped; a line is NAME=VALUE when its first "=" comes before any "<<", and NAME<<DELIMITER
// otherwise, whose value is every following line up to a line equal to DELIMITER, joined with
// the newlines between them. The runner decodes the file as UTF-8 first, replacing invalid
// bytes, which never changes where lines, "=" or "<<" are; this parser reads bytes.
func parseOutputFile(text string) ([]output, error) {
	var outs []output
	for i := 0; i < len(text); {
		line, next, _ := readLine(text, i)
		i = next
		if line == "" {
			continue
		}
		eq, heredoc := strings.Index(line, "="), strings.Index(line, "<<")
		switch {
		case eq >= 0 && (heredoc < 0 || eq < heredoc):
			name, value, _ := strings.Cut(line, "=")
			if name == "" {
				return nil, fmt.Errorf("invalid format %q: empty name", line)
			}
			outs = append(outs, output{name, value})
		case heredoc >= 0:
			name, delim, _ := strings.Cut(line, "<<")
			if name == "" || delim == "" {
				return nil, fmt.Errorf("invalid format %q: empty name or delimiter", line)
			}
			start, end := i, i
			for {
				if i >= len(text) {
					return nil, fmt.Errorf("matching delimiter %q not found", delim)
				}
				l, next, newline := readLine(text, i)
				i = next
				if l == delim {
					break
				}
				if !newline {
					return nil, errors.New("EOF marker missing new line")
				}
				end = next - 1
			}
			outs = append(outs, output{name, text[start:max(start, end)]})
		default:
			return nil, fmt.Errorf("invalid format %q", line)
		}
	}
	return outs, nil
}

// readLine returns the line of text starting at i without its LF, where the next one starts,
// and whether the line ended with an LF.
func readLine(text string, i int) (line string, next int, newline bool) {
	lf := strings.IndexByte(text[i:], '\n')
	if lf < 0 {
		return text[i:], len(text), false
	}
	return text[i : i+lf], i + lf + 1, true
}

func TestParseOutputFile(t *testing.T) {
	t.Parallel()
	tests := []struct {
		text    string
		want    []output
		wantErr bool
	}{
		{"", nil, false},
		{"a=1\n\nb=x=y\n", []output{{"a", "1"}, {"b", "x=y"}}, false},
		{"a<<EOF\nline 1\nline 2\nEOF\nb=2", []output{{"a", "line 1\nline 2"}, {"b", "2"}}, false},
		{"a<<EOF\nEOF\n", []output{{"a", ""}}, false},
		{"a<<EOF\n\nEOF\n", []output{{"a", ""}}, false},
		{"a<<EOF\n\n\nEOF\n", []output{{"a", "\n"}}, false},
		{"a<<EOF\nx\r\nEOF\n", []output{{"a", "x\r"}}, false},
		{"a=b<<c\n", []output{{"a", "b<<c"}}, false},
		{"a<<b=c\nv\nb=c\n", []output{{"a", "v"}}, false},
		{"a<<EOF\nunterminated\n", nil, true},
		{"a<<EOF\nv\nEOF", []output{{"a", "v"}}, false},
		{"a<<EOF\nv", nil, true},
		{"=v\n", nil, true},
		{"<<EOF\nEOF\n", nil, true},
		{"no separator\n", nil, true},
	}
	for _, tt := range tests {
		got, err := parseOutputFile(tt.text)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("parseOutputFile(%q) = %q, %v; want %q, error %v", tt.text, got, err, tt.want, tt.wantErr)
		}
	}
}
