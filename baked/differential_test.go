package baked_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"testing"

	"github.com/org/secret-baker/baked"
)

// outcome is what a reader makes of an input, read as a Lambda function
// reads it (read): the file, as the corpus's .want.json files hold it, or
// the kind of its FormatError (MalformedFileError), or, for anything else it
// raises, a crash.
type outcome struct {
	OK    any    `json:"ok,omitempty"`
	Error string `json:"error,omitempty"`
	Crash string `json:"crash,omitempty"`
}

func (o outcome) String() string {
	switch {
	case o.Crash != "":
		return "crash " + o.Crash
	case o.Error != "":
		return "error " + o.Error
	}
	text, _ := json.Marshal(o.OK)
	return "ok " + string(text)
}

// goOutcome returns the Go package's outcome for data.
func goOutcome(data []byte) outcome {
	d, err := read(data)
	var fe *baked.FormatError
	switch {
	case errors.As(err, &fe):
		return outcome{Error: fe.Kind}
	case err != nil:
		return outcome{Crash: err.Error()}
	}
	text, err := d.Marshal()
	if err != nil {
		return outcome{Crash: err.Error()}
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var o outcome
	if err := dec.Decode(&o.OK); err != nil {
		return outcome{Crash: err.Error()}
	}
	return o
}

// maxReported bounds the disagreements the differential test reports one by one.
const maxReported = 20

// TestDifferential reads the corpus files and mutants of them
// (differentialInputs) with the Go package and the Python and Node.js
// readers, one process of each for all inputs, and checks that the readers
// read each as Go does: the same file, or an error of the same kind, or for
// Python, of a kind that its order of checks allows (pythonMayName).
func TestDifferential(t *testing.T) {
	t.Parallel()
	inputs := differentialInputs(t)
	outcomes := make([][]outcome, len(drivers))
	errs := make([]error, len(drivers))
	var wg sync.WaitGroup
	for i, d := range drivers {
		cmd := d.command(t)
		wg.Go(func() { outcomes[i], errs[i] = run(cmd, inputs) })
	}
	want := make([]outcome, len(inputs))
	for i, in := range inputs {
		want[i] = goOutcome(in.data)
	}
	wg.Wait()
	for _, err := range errs {
		switch {
		case errors.Is(err, errRuntimeMissing) && os.Getenv("CI") != "true":
			t.Skip(err)
		case err != nil:
			t.Fatal(err)
		}
	}

	disagreements, valid, reordered := 0, 0, 0
	for i, in := range inputs {
		if want[i].OK != nil {
			valid++
		}
		for j, d := range drivers {
			got := outcomes[j][i]
			switch {
			case !d.agree(got, want[i], in.data):
				if disagreements++; disagreements <= maxReported {
					t.Errorf("%s: %s reads %s as %v, Go as %v", in.name, d.name, shown(in.data), got, want[i])
				}
			case got.Error != want[i].Error:
				reordered++
			}
		}
	}
	if disagreements > maxReported {
		t.Errorf("and %d more disagreements", disagreements-maxReported)
	}
	t.Logf("%d inputs, %d valid; a reader named another of the rules an input breaks than Go %d times", len(inputs), valid, reordered)
}

// maxShown bounds the bytes of an input that a failure shows.
const maxShown = 1 << 10

// shown returns data quoted, cut after maxShown bytes.
func shown(data []byte) string {
	if len(data) > maxShown {
		return fmt.Sprintf("%q... (%d bytes)", data[:maxShown], len(data))
	}
	return fmt.Sprintf("%q", data)
}

// agree reports whether the reader's outcome got for data agrees with
// Go's, want: the same file, or errors of kinds mayName allows.
func (d driver) agree(got, want outcome, data []byte) bool {
	if got.Error != "" && want.Error != "" {
		return d.mayName(got.Error, want.Error, data)
	}
	return reflect.DeepEqual(got, want)
}
