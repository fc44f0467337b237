package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/org/secret-baker/internal/escape"
	"github.com/org/secret-baker/rotation"
)

// The runner refuses a job summary over 1 MiB, and then shows none. Each
// table or list of a summary stops at maxSummaryRows rows or
// maxSectionBytes bytes, whichever comes first, and counts the rows it
// leaves out; long names are cut. A run writes at most four sections (the
// secrets, the warnings, what the deploy changes, the problems), so a
// summary stays well under the limit, and the log carries every problem.
const (
	maxSummaryRows  = 1000
	maxSectionBytes = 200 << 10
	maxCellRunes    = 100 // a name or parameter in a table cell
	maxLineRunes    = 600 // one problem or warning in a list
)

// writeRows writes the line of each row, as many as the section holds, then
// more, a format of how many rows were left out.
func writeRows[T any](b *strings.Builder, rows []T, more string, line func(T) string) {
	start := b.Len()
	for i, row := range rows {
		if i == maxSummaryRows || b.Len()-start >= maxSectionBytes {
			fmt.Fprintf(b, more, len(rows)-i)
			return
		}
		b.WriteString(line(row))
	}
}

// cut shortens s to at most n runes, ending it with an ellipsis when it
// was longer; it cuts before escaping, so that no escape is split.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n-1]) + "…"
}

// codeCell shows s as code, cut to maxCellRunes, "-" when it is empty.
func codeCell(s string) string {
	if s == "" {
		return "-"
	}
	return escape.TableCode(cut(s, maxCellRunes))
}

// dateCell shows when a version was set, "-" when unknown.
func dateCell(t time.Time) string { return rotation.FormatDate(t) }

// ageCell shows how old a version set at t is, "-" when unknown.
func ageCell(t, now time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return rotation.FormatAge(now.Sub(t))
}

// keyCell shortens a key ARN to its key id.
func keyCell(arn string) string {
	if arn == "" {
		return "-"
	}
	return arn[strings.LastIndex(arn, "/")+1:]
}
