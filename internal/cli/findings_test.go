package cli

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/report"
	"github.com/org/secret-baker/rules"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

// testSpec declares A at line 2 and B at line 3 of spec.yml.
var testSpec = &spec.Spec{File: "spec.yml", Secrets: []spec.Secret{
	{Name: "A", Parameter: "/a", Location: spec.Location{File: "spec.yml", Line: 2, Column: 3}},
	{Name: "B", Parameter: "/b:2", Location: spec.Location{File: "spec.yml", Line: 3, Column: 3}},
}}

// render lists findings as "title | location: message".
func render(fs []report.Finding) string {
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = f.Title() + " | " + f.String()
	}
	return strings.Join(lines, "\n")
}

func TestFailures(t *testing.T) {
	t.Parallel()
	earlier := report.Findings{{Kind: report.KindFailed, Detail: "first", Reason: bake.ErrNotFound}}
	results := []verify.Result{
		{Name: "A", Parameter: "/a", Version: 1, Checks: []string{"decrypt", "key"}},
		{Name: "B", Parameter: "/b:2", Version: 2, Findings: []verify.Finding{
			{Check: verify.CheckRegex, Reason: rules.ErrNoMatch, Message: "does not match `^x$`"},
			{Check: verify.CheckKey, Reason: verify.ErrWrongKey, Message: "encrypted with key K"},
		}},
	}
	err := failures(earlier, results, testSpec)
	want := strings.Join([]string{
		"secret-baker failed | first",
		`Secret B failed the regex check | spec.yml:3:3: secret "B" (parameter "/b:2", version 2): does not match ` + "`^x$`",
		`Secret B failed the key check | spec.yml:3:3: secret "B" (parameter "/b:2", version 2): encrypted with key K`,
	}, "\n")
	if got := render(report.FindingsOf(err)); got != want {
		t.Errorf("failures() =\n%s\nwant\n%s", got, want)
	}
	for _, reason := range []error{bake.ErrNotFound, rules.ErrNoMatch, verify.ErrWrongKey} {
		if !errors.Is(err, reason) {
			t.Errorf("errors.Is(failures(), %v) = false", reason)
		}
	}
	if err := failures(nil, results[:1], testSpec); err != nil {
		t.Errorf("failures() of passing results = %v, want nil", err)
	}
}

func TestBakeFindings(t *testing.T) {
	t.Parallel()
	problems := bake.Problems{{Name: "B", Parameter: "/b:2", Err: bake.ErrNotFound}}
	fs, err := bakeFindings(fmt.Errorf("wrapped: %w", problems), testSpec)
	if err != nil {
		t.Fatal(err)
	}
	want := `Cannot bake B | spec.yml:3:3: secret "B" (parameter "/b:2"): parameter or version not found`
	if got := render(fs); got != want {
		t.Errorf("bakeFindings() = %s, want %s", got, want)
	}
	if !errors.Is(fs, bake.ErrNotFound) {
		t.Error("the findings do not unwrap to the problem's reason")
	}
	other := errors.New("failed to get parameters: boom")
	if fs, err := bakeFindings(other, testSpec); fs != nil || err != other {
		t.Errorf("bakeFindings(other) = %v, %v; want the error as it is", fs, err)
	}
	if fs, err := bakeFindings(nil, testSpec); fs != nil || err != nil {
		t.Errorf("bakeFindings(nil) = %v, %v", fs, err)
	}
}

func TestMismatchFindings(t *testing.T) {
	t.Parallel()
	const arn = "arn:aws:ssm:us-east-1:123456789012:parameter"
	file := baked.File{"A": {ARN: arn + "/other", Ciphertext: "AQID"}, "Z": {ARN: arn + "/z", Ciphertext: "AQID"}}
	fs := mismatchFindings(verify.Match(file, declared(testSpec)), testSpec)
	want := strings.Join([]string{
		`Secret baked from another parameter | spec.yml:2:3: secret "A" was baked from ` + arn + `/other, but the spec declares parameter "/a"`,
		`Secret missing from the baked file | spec.yml:3:3: secret "B" is declared but not in the baked file`,
		`Secret not declared in the spec | spec.yml: the baked file holds 1 secret(s) that the spec does not declare`,
	}, "\n")
	if got := render(fs); got != want {
		t.Errorf("mismatchFindings() =\n%s\nwant\n%s", got, want)
	}
	if !errors.Is(fs, verify.ErrUndeclared) || !errors.Is(fs, verify.ErrMissing) {
		t.Error("the findings do not unwrap to their reasons")
	}
}
