package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/org/secret-baker/drift"
)

// Drift is the outcome of a drift run: what it found in the baked file at
// Path.
type Drift struct {
	Path    string // relative to the workspace
	Results []drift.Result
	// Now is when the run judged the age of the versions.
	Now time.Time
	// Warnings are findings that do not fail the run.
	Warnings []Finding
}

// Stale returns the names of the stale secrets, sorted.
func (d *Drift) Stale() []string {
	names := []string{}
	for _, r := range d.Results {
		if r.Stale {
			names = append(names, r.Name)
		}
	}
	return names
}

// render shows the warnings, the drift summary, a line on stdout and, in a
// GitHub Actions run, step outputs, whether or not the run failed.
func (d *Drift) render(r *Reporter, err error) error {
	r.warn(d.Warnings)
	r.sink.summary(driftMarkdown(d.Path, d.Results, d.Now))
	stale := d.Stale()
	if len(stale) == 0 {
		r.println(r.stdout, fmt.Sprintf("no secret in %s is stale (%d secret(s))", d.Path, len(d.Results)))
	} else {
		r.println(r.stdout, fmt.Sprintf("%d of %d secret(s) in %s are stale: %s", len(stale), len(d.Results), d.Path, QuoteAll(stale)))
	}
	namesJSON, jerr := jsonNames(stale)
	if jerr == nil {
		jerr = r.sink.outputs([]output{
			{"stale", strconv.FormatBool(len(stale) > 0)},
			{"stale-names", namesJSON},
			{"count", strconv.Itoa(len(d.Results))},
		})
	}
	if err == nil {
		err = jerr
	}
	return err
}

// QuoteAll quotes each name and joins them with commas.
func QuoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(quoted, ", ")
}
