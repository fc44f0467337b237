package spec

import "strings"

// lineBreaks are the line breaks of YAML 1.2; "\r\n" counts as one.
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")

// clampPosition keeps a position the YAML library reports inside data. It
// places a past-the-end line (reported for a file without a final newline)
// just after the last character, and turns a byte offset (reported when only
// the offset is known) into a line and column.
func clampPosition(data []byte, line, column, offset int) (int, int) {
	lines := strings.Split(lineBreaks.Replace(string(data)), "\n")
	if line == 0 {
		before := lineBreaks.Replace(string(data[:min(max(offset, 0), len(data))]))
		line = strings.Count(before, "\n") + 1
		column = len(before) - strings.LastIndex(before, "\n")
	}
	if line > len(lines) {
		line, column = len(lines), len(lines[len(lines)-1])+1
	}
	return line, column
}
