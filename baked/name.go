package baked

import "regexp"

// NamePattern is the grammar of a secret name, in the spec and in the baked
// file alike: 1 to 256 ASCII letters, digits, '_', '.', '-' and '/', so no
// space, control, format or bidirectional character.
const NamePattern = `^[A-Za-z0-9_.\-/]{1,256}$`

var nameRegexp = regexp.MustCompile(NamePattern)

// validName reports whether name matches NamePattern.
func validName(name string) bool {
	return nameRegexp.MatchString(name)
}
