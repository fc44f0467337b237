package baked_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/org/secret-baker/internal/testing/testbed"
)

// The reader packages, which the drivers in testdata/differential run.
var (
	pythonReader = filepath.Join("..", "readers", "python")
	nodeReader   = filepath.Join("..", "readers", "node")
)

// exitNoBoto3 is the Python driver's exit code when boto3, which the reader
// imports and the Lambda runtimes bundle, is missing: a missing runtime.
const exitNoBoto3 = 3

// errRuntimeMissing is run's error for a driver whose runtime is missing.
var errRuntimeMissing = errors.New("the reader's runtime is missing")

// driver runs a reader's differential test driver.
type driver struct {
	name string
	// command returns the command that runs the driver; it skips or, on CI,
	// fails the test when the runtime is missing.
	command func(t *testing.T) *exec.Cmd
	// mayName reports whether the reader may refuse data for the rule got
	// when Go refuses it for the rule want.
	mayName func(got, want string, data []byte) bool
}

// drivers are the Python and Node.js readers' drivers.
var drivers = []driver{
	{"python", func(t *testing.T) *exec.Cmd {
		cmd := exec.Command(testbed.Program(t, "python3"), filepath.Join("testdata", "differential", "reader.py"))
		cmd.Env = append(os.Environ(), "PYTHONPATH="+testbed.Abs(t, pythonReader))
		return cmd
	}, pythonMayName},
	{"node", func(t *testing.T) *exec.Cmd {
		node := testbed.Program(t, "node")
		testbed.NodeModules(t, nodeReader)
		return exec.Command(node, filepath.Join("testdata", "differential", "reader.mjs"), testbed.Abs(t, nodeReader))
	}, sameKind},
}

// sameKind is the Node.js reader's mayName: it checks the rules in Go's
// order, in one pass through the file, so it names the same rule.
func sameKind(got, want string, _ []byte) bool { return got == want }

// run runs cmd, a driver, once on every input, each a line of base64 on its
// stdin, and returns its outcome for each, one JSON line each on its stdout.
func run(cmd *exec.Cmd, inputs []input) ([]outcome, error) {
	var stdin, stderr bytes.Buffer
	for _, in := range inputs {
		stdin.WriteString(base64.StdEncoding.EncodeToString(in.data) + "\n")
	}
	cmd.Stdin, cmd.Stderr = &stdin, &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == exitNoBoto3:
		return nil, fmt.Errorf("%w: %s", errRuntimeMissing, stderr.Bytes())
	case err != nil:
		return nil, fmt.Errorf("%s: %w\n%s", cmd, err, stderr.Bytes())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber()
	outcomes := make([]outcome, len(inputs))
	for i := range outcomes {
		if err := dec.Decode(&outcomes[i]); err != nil {
			return nil, fmt.Errorf("%s: outcome %d of %d: %w", cmd, i+1, len(inputs), err)
		}
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: more outcomes than the %d inputs", cmd, len(inputs))
	}
	return outcomes, nil
}
