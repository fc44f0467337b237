package verify

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/org/secret-baker/rules"
)

// leakMarker is in every secret value the tests use, so that no output may contain it.
const leakMarker = "LEAK"

// mustRegex compiles a regex rule.
func mustRegex(t *testing.T, pattern string) *rules.Regex {
	t.Helper()
	re, err := rules.CompileRegex(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return re
}

// mustSchema compiles a schema rule given as JSON text.
func mustSchema(t *testing.T, text string) *rules.Schema {
	t.Helper()
	var doc any
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatal(err)
	}
	s, err := rules.CompileSchema("test", doc)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRuleFindings checks that rule violations become findings of their check, every field
// kept.
func TestRuleFindings(t *testing.T) {
	t.Parallel()
	got := ruleFindings(CheckSchema, []rules.Violation{{Reason: rules.ErrSchema, Message: "m", InstanceLocation: "/a", KeywordLocation: "/type"}})
	want := []Finding{{Check: CheckSchema, Reason: rules.ErrSchema, Message: "m", InstanceLocation: "/a", KeywordLocation: "/type"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ruleFindings() = %+v, want %+v", got, want)
	}
}
