package baked

import (
	"maps"
	"slices"
)

// ChangeKind is what a deploy does to one secret.
type ChangeKind int

// What a deploy can do to a secret, comparing the file it replaces with the
// one it ships.
const (
	Unchanged ChangeKind = iota // same version of the same secret: see Diff
	Added                       // only in the new file
	Removed                     // only in the previous file
	Updated                     // another version, or another secret
)

// Change is what a deploy does to one secret: Before is its entry in the
// previous file, After in the new one; the zero Entry where it has none.
type Change struct {
	Name   string
	Kind   ChangeKind
	Before Entry
	After  Entry
}

// Diff compares the previous baked file with the new one, secret by secret
// in name order. It reads no value and calls nothing: SSM entries are
// compared by ARN, version and ciphertext, so that a file without versions
// (made by serverless-secret-baker) still shows which secrets change; Secrets
// Manager entries, whose ciphertext each bake seals anew, by ARN, version id
// and JSON key.
func Diff(previous, next File) []Change {
	names := slices.Sorted(maps.Keys(previous))
	for name := range next {
		if _, ok := previous[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	changes := make([]Change, len(names))
	for i, name := range names {
		before, inBefore := previous[name]
		after, inAfter := next[name]
		c := Change{Name: name, Before: before, After: after}
		switch {
		case !inBefore:
			c.Kind = Added
		case !inAfter:
			c.Kind = Removed
		case !sameVersion(before, after):
			c.Kind = Updated
		}
		changes[i] = c
	}
	return changes
}

// sameVersion reports whether a and b hold the same version of the same
// secret, as Diff compares them.
func sameVersion(a, b Entry) bool {
	if a.SecretsManager() || b.SecretsManager() {
		return a.SecretsManager() == b.SecretsManager() && a.ARN == b.ARN && a.VersionID == b.VersionID && a.JSONKey == b.JSONKey
	}
	return a.ARN == b.ARN && a.Version == b.Version && a.Ciphertext == b.Ciphertext
}
