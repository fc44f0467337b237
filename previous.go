package main

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/outfile"
)

// previousFile is the baked file a bake replaces, read before anything is
// written, for the summary of what the deploy changes. A file that is not a
// valid baked file is ignored, never trusted: only the reason is kept.
type previousFile struct {
	path    string // relative to the workspace
	file    baked.File
	invalid error // why the file is ignored; nil when it is valid
}

// readPrevious reads the file target replaces; nil when there is none.
func readPrevious(target *outfile.Target) *previousFile {
	rel := target.Rel()
	data, err := target.ReadCurrent()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return &previousFile{path: rel, invalid: fmt.Errorf("failed to read it: %w", err)}
	}
	file, err := baked.Parse(data)
	if err != nil {
		return &previousFile{path: rel, invalid: err}
	}
	return &previousFile{path: rel, file: file}
}

// markdown renders what next changes against the previous file, or why the
// previous file was ignored.
func (p *previousFile) markdown(next baked.File) string {
	if p.invalid != nil {
		return previousFileNote(p.path, p.invalid)
	}
	return deployDiffMarkdown(p.path, baked.Diff(p.file, next))
}
