package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/org/secret-baker/drift"
	"github.com/org/secret-baker/internal/escape"
)

// driftMarkdown renders what drift found in the baked file rel, as of now:
// a headline and a table, stale secrets first, then the ones that could not
// be checked, then the rest. It never shows a value.
func driftMarkdown(rel string, results []drift.Result, now time.Time) string {
	var stale, problems, rest []drift.Result
	for _, r := range results {
		switch {
		case r.Problem != nil:
			problems = append(problems, r)
		case r.Stale:
			stale = append(stale, r)
		default:
			rest = append(rest, r)
		}
	}
	var b strings.Builder
	b.WriteString("## secret-baker drift\n\n")
	if len(stale) > 0 {
		fmt.Fprintf(&b, "**%d of %d secret(s) in %s are stale**: SSM holds other versions than the file ships. Deploy again to ship them.", len(stale), len(results), escape.Markdown(rel))
	} else {
		fmt.Fprintf(&b, "No secret in %s is stale (%d checked).", escape.Markdown(rel), len(results)-len(problems))
	}
	if len(problems) > 0 {
		fmt.Fprintf(&b, " **%d secret(s) could not be checked.**", len(problems))
	}
	b.WriteString("\n\n| Secret | Parameter | Baked → current version | Current version set | Age of the baked version | State |\n|---|---|---|---|---|---|\n")
	writeRows(&b, slices.Concat(stale, problems, rest), "\n%d more current secret(s) not listed.\n", func(r drift.Result) string {
		return fmt.Sprintf("| %s | %s | %s | %s | %s | %s |\n",
			codeCell(r.Name), codeCell(r.Parameter), versionsCell(r), dateCell(r.CurrentSet), ageCell(r.BakedSet, now), escape.Markdown(driftState(r)))
	})
	return b.String()
}

// versionsCell shows the baked version and the one AWS answers now.
func versionsCell(r drift.Result) string {
	baked, current := r.Versions()
	if r.Problem != nil {
		current = "-"
	}
	if r.BakedID != "" { // version ids come from the file: escaped
		baked, current = escape.Markdown(baked), escape.Markdown(current)
	}
	return baked + " → " + current
}

// driftState says what drift concluded for one secret, with a Secrets
// Manager secret's rotation dates.
func driftState(r drift.Result) string {
	state := driftVerdict(r)
	if rot := r.Rotation(); rot != "" {
		state += "; " + rot
	}
	return state
}

// driftVerdict says whether a secret is current, stale, pinned or could not
// be checked.
func driftVerdict(r drift.Result) string {
	switch {
	case r.Problem != nil:
		return "❌ " + r.Problem.Error()
	case r.Stale && r.BakedID != "":
		return "⚠️ stale: stage " + r.Stage + " moved"
	case r.Stale && r.Selector.Label != "":
		return "⚠️ stale: label " + r.Selector.Label + " moved"
	case r.Stale:
		return "⚠️ stale"
	case r.Newer():
		return "📌 pinned; newer versions exist"
	default:
		return "✅ current"
	}
}
