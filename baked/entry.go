package baked

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// maxVersion is the largest version a baked file holds, 2^53-1, the largest
// integer every reader's numbers hold exactly.
const maxVersion = 1<<53 - 1

// modifiedLayout is the one form of Entry.Modified in a baked file: UTC,
// whole seconds.
const modifiedLayout = "2006-01-02T15:04:05Z"

var (
	versionPattern  = regexp.MustCompile(`^[1-9][0-9]*$`)
	modifiedPattern = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$`)
)

// fieldRule is what a field of an entry may hold.
type fieldRule struct {
	number bool   // the value is a number, else a non-empty string
	kind   string // the FormatError kind of a value set refuses
	want   string // what set accepts, for the message
	// set stores the value v in e and reports whether it is valid.
	set func(e *Entry, v string) bool
}

// typ names the type of the field's value.
func (r fieldRule) typ() string {
	if r.number {
		return "number"
	}
	return "string"
}

// fieldRules holds the fields of an entry; no other is allowed.
var fieldRules = map[string]fieldRule{
	"arn":        {set: func(e *Entry, v string) bool { e.ARN = v; return true }},
	"parameter":  {set: func(e *Entry, v string) bool { e.Parameter = v; return true }},
	"key":        {set: func(e *Entry, v string) bool { e.KeyARN = v; return true }},
	"ciphertext": {set: func(e *Entry, v string) bool { e.Ciphertext = v; return true }}, // decoded by New
	"version": {number: true, kind: kindVersion, want: "a whole number from 1 to 2^53-1", set: func(e *Entry, v string) bool {
		n, err := strconv.ParseInt(v, 10, 64)
		e.Version = n
		return err == nil && versionPattern.MatchString(v) && n <= maxVersion
	}},
	"modified": {kind: kindModified, want: "a UTC time YYYY-MM-DDTHH:MM:SSZ from 1970 to 9999", set: func(e *Entry, v string) bool {
		t, err := time.Parse(modifiedLayout, v)
		e.Modified = t
		return err == nil && modifiedPattern.MatchString(v) && t.Year() >= 1970
	}},
}

// newEntry returns the entry of the secret name that fields make.
func newEntry(name string, fields []field) (Entry, error) {
	var e Entry
	for _, f := range fields {
		rule, ok := fieldRules[f.key.text]
		switch {
		case !ok:
			return Entry{}, malformed(kindUnknown, f.key.at, "entry %q: unknown field", name)
		case rule.number != (f.value.kind == '0'):
			return Entry{}, f.typeError(name)
		case !rule.number && f.value.text == "":
			return Entry{}, malformed(kindEmpty, f.value.at, "entry %q: %s is empty", name, f.key.text)
		case !rule.set(&e, f.value.text):
			return Entry{}, malformed(rule.kind, f.value.at, "entry %q: %s is not %s", name, f.key.text, rule.want)
		}
	}
	if e.ARN == "" || e.Ciphertext == "" {
		return Entry{}, &FormatError{Kind: kindMissing, msg: fmt.Sprintf("entry %q lacks arn or ciphertext", name)}
	}
	return e, nil
}

// typeError is the error of the field f of the secret name, whose value is
// not of the type its rule or any rule wants.
func (f field) typeError(name string) error {
	if rule, ok := fieldRules[f.key.text]; ok {
		return malformed(kindType, f.value.at, "entry %q: %s is not a %s", name, f.key.text, rule.typ())
	}
	return malformed(kindType, f.value.at, "entry %q: a value is not a string or a number", name)
}
