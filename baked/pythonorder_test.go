package baked_test

import "slices"

// The kinds of the rules of the JSON text, and of the rules of an entry but
// type, which may be either.
var (
	textKinds  = []string{"syntax", "surrogate", "duplicate", "case"}
	entryKinds = []string{"name", "unknown", "empty", "version", "modified", "missing", "mixed", "context"}
)

// pythonMayName reports whether the Python reader may refuse data, which
// Go refuses for the rule g, for the rule p.
//
// An input that breaks one rule only, as the corpus's do, is refused for
// that rule by every reader. One that breaks several is refused for the
// first each reader checks, and the README leaves their order open. Go and
// Node.js check them in one pass in the order of the file: the JSON text, the
// entries and the bundle's shape as they read them, each value of an entry's
// type as they read it, before the entry's fields; then the bundle's list,
// the trailing data and the ciphertexts. Python parses the whole JSON text
// first (failing on nesting deeper than its recursion limit as type), with
// hooks that find a key twice or in two cases, or an unpaired surrogate
// escape, when their object ends; then it checks the entries, field after
// field, then the bundle; then the trailing data and the ciphertexts. So
// beside g, Python may name:
//   - for a JSON text nested deeper than maxDepth, type;
//   - for a JSON text that breaks a rule (readJSONText), a rule of the JSON
//     text, and for g syntax, syntax only;
//   - otherwise, for g type, a rule of an entry, and for g bundle, a rule of
//     an entry or type.
func pythonMayName(p, g string, data []byte) bool {
	if p == g {
		return true
	}
	reading := slices.Contains(textKinds, g) || slices.Contains(entryKinds, g) || g == "type" || g == "bundle"
	if !reading || slices.Contains([]string{"bom", "utf8"}, p) {
		return false
	}
	text := readJSONText(data)
	switch {
	case text.deep && p == "type":
		return true
	case text.broken:
		return slices.Contains(textKinds, p) && (g != "syntax" || p == "syntax")
	case g == "type":
		return slices.Contains(entryKinds, p)
	case g == "bundle":
		return slices.Contains(entryKinds, p) || p == "type"
	}
	return false
}
