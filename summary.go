package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/verify"
)

// maxSummaryRows bounds the job summary's table and list of problems (the
// runner refuses summaries over 1 MiB): failing secrets come first, and rows
// beyond the bound are counted, not listed; the log carries every problem.
const maxSummaryRows = 1000

// summarize appends the job summary of a bake or verify run: a table of
// every secret, the age of its version and its checks; the warnings; and,
// after a bake that replaced a file, what the deploy changes. It never shows
// a value. out.path is the baked file, empty when none was written.
func (r *reporter) summarize(out outcome) {
	if r.gha == nil {
		return
	}
	results, rel := out.results, out.path
	var passed, failed []verify.Result
	for _, res := range results {
		if res.OK() {
			passed = append(passed, res)
		} else {
			failed = append(failed, res)
		}
	}
	var b strings.Builder
	b.WriteString("## secret-baker\n\n")
	if rel == "" {
		fmt.Fprintf(&b, "**Failed: no file was written.** %d of %d secret(s) listed below failed their checks.\n\n", len(failed), len(results))
	} else {
		fmt.Fprintf(&b, "%d secret(s) in %s.\n\n", len(results), escape.Markdown(rel))
	}
	b.WriteString("| Secret | Parameter | Version | Version set | Age | Key | Checks | Result |\n|---|---|---|---|---|---|---|---|\n")
	writeRows(&b, slices.Concat(failed, passed), "\n%d more passing secret(s) not listed.\n", func(res verify.Result) string {
		set := out.file[res.Name].Modified
		return fmt.Sprintf("| %s | %s | %d | %s | %s | %s | %s | %s |\n",
			escape.TableCode(res.Name), escape.TableCode(res.Parameter), res.Version, dateCell(set), ageCell(set, out.now), escape.TableCode(keyCell(res.KeyARN)), checksCell(res), resultCell(res))
	})
	if len(out.warnings) > 0 {
		b.WriteString("\n" + findingsMarkdown("warning(s)", r.relocate(out.warnings)))
	}
	if out.previous != nil && rel != "" {
		b.WriteString("\n" + out.previous.markdown(out.file))
	}
	r.appendSummary(b.String())
}

// summaryFindings appends the list of problems that stopped a run.
func (r *reporter) summaryFindings(fs []finding) {
	r.appendSummary(findingsMarkdown("problem(s)", fs))
}

// findingsMarkdown lists findings, counted in noun, as many as the summary
// holds.
func findingsMarkdown(noun string, fs []finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %d %s\n\n", len(fs), noun)
	writeRows(&b, fs, "\n%d more "+noun+" in the log.\n", func(f finding) string { return "- " + escape.Markdown(f.String()) + "\n" })
	return b.String()
}

// writeRows writes the line of each row, as many as the summary holds, then
// more, a format of how many rows were left out.
func writeRows[T any](b *strings.Builder, rows []T, more string, line func(T) string) {
	for i, row := range rows {
		if i == maxSummaryRows {
			fmt.Fprintf(b, more, len(rows)-i)
			return
		}
		b.WriteString(line(row))
	}
}

func (r *reporter) appendSummary(markdown string) {
	if r.summary == nil {
		return
	}
	if _, err := io.WriteString(r.summary, markdown+"\n"); err != nil {
		r.line(r.stderr, fmt.Sprintf("secret-baker: failed to write the job summary: %v", err))
	}
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

// keyCell shortens a key ARN to its key id.
func keyCell(arn string) string {
	if arn == "" {
		return "-"
	}
	return arn[strings.LastIndex(arn, "/")+1:]
}
