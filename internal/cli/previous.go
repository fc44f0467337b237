package cli

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/outfile"
	"github.com/org/secret-baker/internal/report"
)

// readPrevious reads the baked file target replaces, for the summary of what
// the deploy changes; nil when there is none.
func readPrevious(target *outfile.Target) *report.Previous {
	rel := target.Rel()
	data, err := target.ReadCurrent()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return &report.Previous{Path: rel, Invalid: fmt.Errorf("failed to read it: %w", err)}
	}
	d, err := baked.ParseFile(data)
	if err != nil {
		return &report.Previous{Path: rel, Invalid: err}
	}
	return &report.Previous{Path: rel, File: d.Entries, Bundle: d.Bundle}
}
