package baked

import (
	"regexp"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// token is one JSON token of a baked file.
type token struct {
	// kind is the punctuation itself ('{', '}', '[', ']', ':', ','), '"' for
	// a string, '0' for a number, 'l' for true, false or null.
	kind byte
	// text is a string's decoded value or a number's text.
	text string
	// at is the byte offset where the token starts.
	at int
}

// lexer reads the tokens of RFC 8259 JSON, refusing what the Python and
// Node.js readers refuse: control characters in strings, escapes of unpaired
// surrogates, NaN and Infinity, whitespace other than space, tab, CR and LF.
// The input is valid UTF-8, which Parse checks first.
type lexer struct {
	data []byte
	pos  int
}

// numberPattern is a JSON number.
var numberPattern = regexp.MustCompile(`^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`)

var literals = []string{"true", "false", "null"}

// next returns the next token, skipping whitespace.
func (l *lexer) next() (token, error) {
	l.skipSpace()
	if l.pos == len(l.data) {
		return token{}, malformed(kindSyntax, l.pos, "unexpected end of file")
	}
	at, c := l.pos, l.data[l.pos]
	switch {
	case c == '"':
		s, err := l.str()
		return token{kind: '"', text: s, at: at}, err
	case c == '-' || '0' <= c && c <= '9':
		n := numberPattern.Find(l.data[at:])
		if n == nil {
			return token{}, malformed(kindSyntax, at, "invalid number")
		}
		l.pos += len(n)
		return token{kind: '0', text: string(n), at: at}, nil
	case c == '{' || c == '}' || c == '[' || c == ']' || c == ':' || c == ',':
		l.pos++
		return token{kind: c, at: at}, nil
	}
	for _, lit := range literals {
		if string(l.data[at:min(at+len(lit), len(l.data))]) == lit {
			l.pos += len(lit)
			return token{kind: 'l', at: at}, nil
		}
	}
	return token{}, malformed(kindSyntax, at, "invalid JSON")
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.data) && (l.data[l.pos] == ' ' || l.data[l.pos] == '\t' || l.data[l.pos] == '\n' || l.data[l.pos] == '\r') {
		l.pos++
	}
}

// str reads the string starting at l.pos and returns it decoded. A syntax
// error anywhere in the string comes before an unpaired surrogate escape in
// it, as the Python and Node.js readers, which read a string before they
// look at its escapes, report them.
func (l *lexer) str() (string, error) {
	var out []byte
	var unpaired error // the string's first unpaired surrogate escape
	i := l.pos + 1
	for i < len(l.data) {
		c := l.data[i]
		switch {
		case c == '"':
			l.pos = i + 1
			return string(out), unpaired
		case c < 0x20:
			return "", malformed(kindSyntax, i, "control character in a string")
		case c != '\\':
			out = append(out, c)
			i++
		case i+1 < len(l.data) && l.data[i+1] == 'u':
			r, n, paired := l.unicodeEscape(i)
			if n == 0 {
				return "", malformed(kindSyntax, i, "invalid escape")
			}
			if !paired && unpaired == nil {
				unpaired = malformed(kindSurrogate, l.pos, "unpaired surrogate escape") // at the string
			}
			out = utf8.AppendRune(out, r)
			i += n
		case i+1 < len(l.data) && simpleEscapes[l.data[i+1]] != 0:
			out = append(out, simpleEscapes[l.data[i+1]])
			i += 2
		default:
			return "", malformed(kindSyntax, i, "invalid escape")
		}
	}
	return "", malformed(kindSyntax, len(l.data), "unexpected end of file")
}

var simpleEscapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// unicodeEscape decodes the \uXXXX escape at i, or the pair of them that
// encodes one rune as UTF-16 surrogates, and returns its length, 0 when i
// holds no \uXXXX escape. paired is false for a surrogate that is not half
// of a pair, whose escape alone is read.
func (l *lexer) unicodeEscape(i int) (r rune, n int, paired bool) {
	hi, ok := l.hex4(i)
	switch {
	case !ok:
		return 0, 0, false
	case !utf16.IsSurrogate(hi):
		return hi, 6, true
	}
	if lo, ok := l.hex4(i + 6); ok {
		if r := utf16.DecodeRune(hi, lo); r != utf8.RuneError {
			return r, 12, true
		}
	}
	return utf8.RuneError, 6, false
}

// hex4 returns the code unit of the \uXXXX escape at i, if there is one.
func (l *lexer) hex4(i int) (rune, bool) {
	if i+6 > len(l.data) || l.data[i] != '\\' || l.data[i+1] != 'u' {
		return 0, false
	}
	u, err := strconv.ParseUint(string(l.data[i+2:i+6]), 16, 16)
	return rune(u), err == nil
}
