package baked

import (
	"fmt"
	"maps"
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
	// value is the token kind of the value: '"' a non-empty string, '0' a
	// number, '{' an object of non-empty strings.
	value byte
	kind  string // the FormatError kind of a value set refuses
	want  string // what set accepts, for the message
	// set stores the value of f in e and reports whether it is valid.
	set func(e *Entry, f field) bool
}

// typ names the type of the field's value, with its article.
func (r fieldRule) typ() string {
	switch r.value {
	case '0':
		return "a number"
	case '{':
		return "an object"
	}
	return "a string"
}

// text is the rule of a field holding any non-empty string, which it stores
// where to points.
func text(to func(e *Entry) *string) fieldRule {
	return fieldRule{value: '"', set: func(e *Entry, f field) bool { *to(e) = f.value.text; return true }}
}

// fieldRules holds the fields of an entry; no other is allowed.
var fieldRules = map[string]fieldRule{
	"arn":        text(func(e *Entry) *string { return &e.ARN }),
	"ciphertext": text(func(e *Entry) *string { return &e.Ciphertext }), // decoded by New
	"parameter":  text(func(e *Entry) *string { return &e.Parameter }),
	"key":        text(func(e *Entry) *string { return &e.KeyARN }),
	"secret-id":  text(func(e *Entry) *string { return &e.SecretID }),
	"version-id": text(func(e *Entry) *string { return &e.VersionID }),
	"json-key":   text(func(e *Entry) *string { return &e.JSONKey }),
	"version": {value: '0', kind: kindVersion, want: "a whole number from 1 to 2^53-1", set: func(e *Entry, f field) bool {
		n, err := strconv.ParseInt(f.value.text, 10, 64)
		e.Version = n
		return err == nil && versionPattern.MatchString(f.value.text) && n <= maxVersion
	}},
	"modified": {value: '"', kind: kindModified, want: "a UTC time YYYY-MM-DDTHH:MM:SSZ from 1970 to 9999", set: func(e *Entry, f field) bool {
		t, err := time.Parse(modifiedLayout, f.value.text)
		e.Modified = t
		return err == nil && modifiedPattern.MatchString(f.value.text) && t.Year() >= 1970
	}},
	"context": {value: '{', set: func(e *Entry, f field) bool { // checked against the other fields by check
		e.Context = make(map[string]string, len(f.members))
		for _, m := range f.members {
			e.Context[m.key.text] = m.value.text
		}
		return true
	}},
}

// newEntry returns the entry of the secret name that fields make.
func newEntry(name string, fields []field) (Entry, error) {
	var e Entry
	for _, f := range fields {
		rule, ok := fieldRules[f.key.text]
		if !ok {
			return Entry{}, malformed(kindUnknown, f.key.at, "entry %q: unknown field", name)
		}
		if err := f.checkValue(name, rule); err != nil {
			return Entry{}, err
		}
		if !rule.set(&e, f) {
			return Entry{}, malformed(rule.kind, f.value.at, "entry %q: %s is not %s", name, f.key.text, rule.want)
		}
	}
	return e, e.check(name)
}

// checkValue returns the error of the field f of the secret name when its
// value is not of the type rule wants, or is an empty string, or is an
// object holding anything but non-empty strings.
func (f field) checkValue(name string, rule fieldRule) error {
	switch {
	case rule.value != f.value.kind:
		return f.typeError(name)
	case rule.value == '"' && f.value.text == "":
		return malformed(kindEmpty, f.value.at, "entry %q: %s is empty", name, f.key.text)
	}
	for _, m := range f.members {
		if m.value.kind != '"' {
			return malformed(kindType, m.value.at, "entry %q: a value of %s is not a string", name, f.key.text)
		}
		if m.value.text == "" {
			return malformed(kindEmpty, m.value.at, "entry %q: a value of %s is empty", name, f.key.text)
		}
	}
	return nil
}

// check returns the error of the entry of the secret name when its fields do
// not make an SSM or a Secrets Manager entry, or its context is not the one
// the bake seals its secret with.
func (e Entry) check(name string) error {
	sm := e.SecretsManager()
	switch {
	case e.ARN == "" || e.Ciphertext == "":
		return entryError(kindMissing, "entry %q lacks arn or ciphertext", name)
	case !sm && (e.SecretID != "" || e.VersionID != "" || e.JSONKey != ""):
		return entryError(kindMixed, "entry %q: secret-id, version-id and json-key belong to a Secrets Manager entry, which has a context", name)
	case sm && (e.Parameter != "" || e.Version != 0):
		return entryError(kindMixed, "entry %q: parameter and version belong to an SSM entry, which has no context", name)
	case sm && (e.SecretID == "" || e.VersionID == ""):
		return entryError(kindMissing, "entry %q has a context but lacks secret-id or version-id", name)
	case sm && !maps.Equal(e.Context, SealedContext(e.ARN, e.VersionID, e.JSONKey)):
		return entryError(kindContext, "entry %q: context is not the sealed context: SecretARN equal to arn, SecretVersionId to version-id, json-key to json-key if the entry has one, and no other key", name)
	}
	return nil
}

// entryError returns the FormatError of kind about a whole entry.
func entryError(kind, format string, args ...any) error {
	return &FormatError{Kind: kind, msg: fmt.Sprintf(format, args...)}
}

// typeError is the error of the field f of the secret name, whose value is
// not of the type its rule or any rule wants.
func (f field) typeError(name string) error {
	if rule, ok := fieldRules[f.key.text]; ok {
		return malformed(kindType, f.value.at, "entry %q: %s is not %s", name, f.key.text, rule.typ())
	}
	return malformed(kindType, f.value.at, "entry %q: a value is not a string, a number or an object", name)
}
