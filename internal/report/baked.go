package report

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/verify"
)

// Baked is the outcome of a bake or verify run: the secrets it checked and
// the baked file it wrote or verified.
type Baked struct {
	// Checked tells whether the run got as far as checking the secrets, so
	// that results are worth a summary.
	Checked bool
	Results []verify.Result
	// Path is the baked file written or verified, relative to the
	// workspace; empty unless the run succeeded.
	Path string
	// Inside is the baked file's name at the root of the artifact Path,
	// empty when Path is the baked file itself.
	Inside string
	Data   []byte // the file's bytes
	// File is the baked file, also when the run failed after reading it.
	File baked.File
	// Now is when the run judged the age of the versions in File.
	Now time.Time
	// Warnings are findings that do not fail the run.
	Warnings []Finding
	// Previous is the file a bake replaced, nil when there was none.
	Previous *Previous
	// Roles is what the function role proof found, nil when it did not run.
	Roles *RoleProof
}

// Previous is the baked file a bake replaces, read before anything is
// written. A file that is not a valid baked file is ignored, never trusted:
// only the reason is kept.
type Previous struct {
	Path    string // relative to the workspace
	File    baked.File
	Bundle  *baked.Bundle // the file's bundle, nil when it has none
	Invalid error         // why the file is ignored; nil when it is valid
}

// render shows the warnings, the summary of the checked secrets and, when
// the run succeeded, the file written or verified: a line on stdout, and
// step outputs in a GitHub Actions run.
func (b *Baked) render(r *Reporter, err error) error {
	r.warn(b.Warnings)
	if b.Roles != nil {
		r.warn(b.Roles.Unchecked)
	}
	if b.Checked {
		r.sink.summary(bakedMarkdown(b, r.relocate(b.Warnings)))
	}
	if err != nil {
		return err
	}
	namesJSON, err := jsonNames(slices.Sorted(maps.Keys(b.File)))
	if err != nil {
		return err
	}
	digest := baked.Digest(b.Data)
	r.println(r.stdout, fmt.Sprintf("%d secret(s) in %s (%s)", len(b.File), b.where(), digest))
	return r.sink.outputs([]output{
		{"file", b.Path},
		{"digest", digest},
		{"count", strconv.Itoa(len(b.File))},
		{"names", namesJSON},
	})
}

// where names the baked file (BakedPath).
func (b *Baked) where() string { return BakedPath(b.Path, b.Inside) }

// BakedPath names a baked file in messages: path, or path!inside for the
// file inside at the root of the artifact path, a zip archive or directory.
func BakedPath(path, inside string) string {
	if inside == "" {
		return path
	}
	return path + "!" + inside
}

// jsonNames encodes sorted names as a JSON array, for an output.
func jsonNames(names []string) (string, error) {
	data, err := json.Marshal(names)
	if err != nil {
		return "", fmt.Errorf("failed to encode names: %w", err)
	}
	return string(data), nil
}
