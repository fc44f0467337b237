package spec

import (
	"regexp"
	"strconv"
)

// plausibleKey is what a key may look like to be named in a message: a short
// identifier. Anything else, such as a line of a file that is no spec at all,
// is located but never quoted: it may be someone's secret.
var plausibleKey = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]{0,31}$`)

// keyRef returns ` "key"` for a plausible key and "" for any other, to
// follow the word "key" in a message.
func keyRef(key string) string {
	if !plausibleKey.MatchString(key) {
		return ""
	}
	return " " + strconv.Quote(key)
}
