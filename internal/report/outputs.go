package report

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// output is one step output.
type output struct{ name, value string }

var outputName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,99}$`)

// writeOutputs appends outputs to the runner's GITHUB_OUTPUT file, in one
// write, each value framed by a random delimiter it does not contain, so that
// no name or value can inject another output.
func writeOutputs(w io.Writer, outs []output) error {
	var b strings.Builder
	for _, o := range outs {
		if !outputName.MatchString(o.name) {
			return fmt.Errorf("failed to set output: invalid name %q", o.name)
		}
		delim, err := delimiter(o.value)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.name, delim, o.value, delim)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("failed to write GITHUB_OUTPUT: %w", err)
	}
	return nil
}

// delimiter returns a random heredoc delimiter that value does not contain.
func delimiter(value string) (string, error) {
	buf := make([]byte, 16)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("failed to make an output delimiter: %w", err)
	}
	d := "ghadelimiter_" + hex.EncodeToString(buf)
	if strings.Contains(value, d) {
		return "", fmt.Errorf("failed to set output: value contains its delimiter")
	}
	return d, nil
}
