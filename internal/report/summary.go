package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/verify"
)

// bakedMarkdown renders the job summary of a bake or verify run: a table of
// every secret, the age of its version and its checks; the warnings; and,
// after a bake that replaced a file, what the deploy changes. It never shows
// a value. b.Path is the baked file, empty when none was written.
func bakedMarkdown(b *Baked, warnings []Finding) string {
	results, rel := b.Results, b.where()
	var passed, failed []verify.Result
	for _, res := range results {
		if res.OK() {
			passed = append(passed, res)
		} else {
			failed = append(failed, res)
		}
	}
	var w strings.Builder
	w.WriteString("## secret-baker\n\n")
	if rel == "" {
		fmt.Fprintf(&w, "**Failed: no file was written.** %d of %d secret(s) listed below failed their checks.\n\n", len(failed), len(results))
	} else {
		fmt.Fprintf(&w, "%d secret(s) in %s.\n\n", len(results), escape.Markdown(rel))
	}
	w.WriteString("| Secret | Parameter | Version | Version set | Age | Key | Checks | Result |\n|---|---|---|---|---|---|---|---|\n")
	writeRows(&w, slices.Concat(failed, passed), "\n%d more passing secret(s) not listed.\n", func(res verify.Result) string {
		set := b.File[res.Name].Modified
		return fmt.Sprintf("| %s | %s | %d | %s | %s | %s | %s | %s |\n",
			codeCell(res.Name), codeCell(res.Parameter), res.Version, dateCell(set), ageCell(set, b.Now), escape.TableCode(keyCell(res.KeyARN)), checksCell(res), resultCell(res))
	})
	if len(warnings) > 0 {
		w.WriteString("\n" + findingsMarkdown("warning(s)", warnings))
	}
	if b.Roles != nil {
		w.WriteString("\n" + b.Roles.markdown())
	}
	if b.Previous != nil && rel != "" {
		w.WriteString("\n" + b.Previous.markdown(b.File))
	}
	return w.String()
}

// findingsMarkdown lists findings, counted in noun, as many as the summary
// holds.
func findingsMarkdown(noun string, fs []Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %d %s\n\n", len(fs), noun)
	writeRows(&b, fs, "\n%d more "+noun+" in the log.\n", func(f Finding) string { return "- " + escape.Markdown(cut(f.String(), maxLineRunes)) + "\n" })
	return b.String()
}

// checksCell describes the checks a result ran.
func checksCell(r verify.Result) string {
	if len(r.Checks) == 0 {
		return "not verified"
	}
	return strings.Join(r.Checks, ", ")
}

func resultCell(res verify.Result) string {
	switch {
	case len(res.Checks) == 0:
		return "baked"
	case res.OK():
		return "✅ passed"
	}
	var checks []string
	for _, f := range res.Findings {
		checks = append(checks, f.Check)
	}
	return "❌ " + strings.Join(checks, ", ")
}
