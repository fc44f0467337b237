package escape

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isInvisible reports whether r shows as nothing or reorders the text around it: a format
// character (category Cf: zero-width spaces and joiners, the soft hyphen, the word joiner, the
// byte order mark, bidirectional controls, tag characters), any code point of the tag block
// U+E0000–U+E007F, or a line or paragraph separator (Zl, Zp).
func isInvisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp) || r >= 0xe0000 && r <= 0xe007f
}

// codePoint writes r as a Go escape: \x1b below U+0080, \u200b up to U+FFFF, \U000e0041 beyond.
func codePoint(r rune) string {
	switch {
	case r < 0x80:
		return fmt.Sprintf(`\x%02x`, r)
	case r <= 0xffff:
		return fmt.Sprintf(`\u%04x`, r)
	default:
		return fmt.Sprintf(`\U%08x`, r)
	}
}

// showInvisible writes every invisible character of s as its code point and keeps every other
// byte.
func showInvisible(s string) string {
	if strings.IndexFunc(s, isInvisible) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isInvisible(r) {
			b.WriteString(codePoint(r))
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
