package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/org/secret-baker/verify"
)

// maxSummaryRows bounds the job summary table (the runner refuses summaries
// over 1 MiB): failing secrets come first, and passing ones beyond the bound
// are counted, not listed.
const maxSummaryRows = 1000

// summarize appends the job summary for results: a table of every secret and
// its checks, and the totals. It never shows a value. rel is the baked file,
// empty when none was written.
func (r *reporter) summarize(results []verify.Result, rel string) {
	if r.gha == nil {
		return
	}
	var b strings.Builder
	failed := 0
	for _, res := range results {
		if !res.OK() {
			failed++
		}
	}
	b.WriteString("## secret-baker\n\n")
	if rel == "" {
		fmt.Fprintf(&b, "**Failed: no file was written.** %d of %d checked secret(s) failed verification.\n\n", failed, len(results))
	} else {
		fmt.Fprintf(&b, "%d secret(s) in `%s`.\n\n", len(results), escapeCell(rel))
	}
	b.WriteString("| Secret | Parameter | Version | Key | Checks | Result |\n|---|---|---|---|---|---|\n")
	rows := append(failing(results, false), failing(results, true)...)
	for i, res := range rows {
		if i == maxSummaryRows {
			fmt.Fprintf(&b, "\n%d more passing secret(s) not listed.\n", len(rows)-i)
			break
		}
		fmt.Fprintf(&b, "| `%s` | `%s` | %d | `%s` | %s | %s |\n",
			escapeCell(res.Name), escapeCell(res.Parameter), res.Version, escapeCell(keyCell(res.KeyARN)), checksCell(res), resultCell(res))
	}
	r.appendSummary(b.String())
}

// summaryFindings appends the list of problems that stopped a run.
func (r *reporter) summaryFindings(fs []finding) {
	var b strings.Builder
	fmt.Fprintf(&b, "### %d problem(s)\n\n", len(fs))
	for _, f := range fs {
		fmt.Fprintf(&b, "- %s\n", escapeCell(f.String()))
	}
	r.appendSummary(b.String())
}

func (r *reporter) appendSummary(markdown string) {
	path := r.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		fmt.Fprintf(r.stderr, "secret-baker: failed to write the job summary: %v\n", err)
		return
	}
	defer f.Close()
	if _, err := f.WriteString(markdown + "\n"); err != nil {
		fmt.Fprintf(r.stderr, "secret-baker: failed to write the job summary: %v\n", err)
	}
}

// failing returns the results that passed (ok) or failed (!ok), in order.
func failing(results []verify.Result, ok bool) []verify.Result {
	var out []verify.Result
	for _, res := range results {
		if res.OK() == ok {
			out = append(out, res)
		}
	}
	return out
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

// keyCell shortens a key ARN to its key id.
func keyCell(arn string) string {
	if arn == "" {
		return "-"
	}
	return arn[strings.LastIndex(arn, "/")+1:]
}

// escapeCell keeps text from breaking the table or turning into markup.
var escapeCell = strings.NewReplacer("|", `\|`, "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "'").Replace
