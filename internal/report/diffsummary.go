package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/escape"
)

// deployDiffMarkdown renders what a bake changes against the baked file it
// replaces at rel: per secret added, removed, version n → m, or unchanged,
// the changes first. It never shows a value.
func deployDiffMarkdown(rel string, changes []baked.Change) string {
	counts := map[baked.ChangeKind]int{}
	var changed, unchanged []baked.Change
	for _, c := range changes {
		counts[c.Kind]++
		if c.Kind == baked.Unchanged {
			unchanged = append(unchanged, c)
		} else {
			changed = append(changed, c)
		}
	}
	var b strings.Builder
	b.WriteString("### What this deploy changes\n\n")
	fmt.Fprintf(&b, "Compared with the previous %s: %d added, %d removed, %d updated, %d unchanged.\n\n",
		escape.Markdown(rel), counts[baked.Added], counts[baked.Removed], counts[baked.Updated], counts[baked.Unchanged])
	b.WriteString("| Secret | Change |\n|---|---|\n")
	writeRows(&b, slices.Concat(changed, unchanged), "\n%d more unchanged secret(s) not listed.\n", func(c baked.Change) string {
		return fmt.Sprintf("| %s | %s |\n", codeCell(c.Name), changeCell(c))
	})
	return b.String()
}

// changeCell describes one change.
func changeCell(c baked.Change) string {
	switch {
	case c.Kind == baked.Added:
		return "added: " + versionOf(c.After)
	case c.Kind == baked.Removed:
		return "removed: was " + versionOf(c.Before)
	case c.Kind == baked.Unchanged:
		return "unchanged: " + versionOf(c.After)
	case c.Before.ARN != c.After.ARN:
		return "another parameter: " + versionOf(c.Before) + " → " + versionOf(c.After)
	case c.Before.Version == 0:
		return "updated to " + versionOf(c.After) + " (the previous file records no version)"
	case c.Before.Version == c.After.Version:
		return "another ciphertext: " + versionOf(c.After)
	default:
		return fmt.Sprintf("%s → %d", versionOf(c.Before), c.After.Version)
	}
}

// versionOf names an entry's parameter, and its version when the file
// records one, escaped for a table cell.
func versionOf(e baked.Entry) string {
	param := e.Parameter
	if param == "" {
		param = e.ARN
	}
	cell := codeCell(param)
	if e.Version == 0 {
		return cell
	}
	return fmt.Sprintf("%s version %d", cell, e.Version)
}

// previousFileNote is the summary's note about a previous file at rel that
// is not a valid baked file, and is therefore ignored.
func previousFileNote(rel string, err error) string {
	return fmt.Sprintf("### What this deploy changes\n\nThe previous %s is not a valid baked file (%s); it was ignored, and nothing is compared with it.\n", escape.Markdown(rel), escape.Markdown(err.Error()))
}

// markdown renders what next changes against the previous file, or why the
// previous file was ignored.
func (p *Previous) markdown(next baked.File) string {
	if p.Invalid != nil {
		return previousFileNote(p.Path, p.Invalid)
	}
	return deployDiffMarkdown(p.Path, baked.Diff(p.File, next))
}
