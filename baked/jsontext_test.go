package baked_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonText is what the first JSON value of an input, the text that the
// Python reader parses before it applies any rule of the format, holds. It
// is found with encoding/json, apart from the readers.
type jsonText struct {
	// broken is whether the text breaks a rule of the JSON text: it is not
	// one JSON value, an object in it holds a key twice or in two ASCII cases,
	// or a string in it an unpaired surrogate escape.
	broken bool
	// deep is whether it nests values deeper than maxDepth.
	deep bool
}

// maxDepth is the deepest nesting that Python's json module surely parses:
// far below its recursion limit, 1000 by default, far above any baked file's.
const maxDepth = 100

// frame is an object or an array of the JSON text being read.
type frame struct {
	object  bool
	keys    map[string]bool // an object's keys so far, ASCII-lowercased
	wantKey bool            // whether an object's next token is a key
}

// readJSONText returns what the first JSON value of data holds; data is
// UTF-8.
func readJSONText(data []byte) jsonText {
	var text jsonText
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber() // any number JSON has, 1e400 too
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			text.broken = true
			return text
		}
		switch tok := tok.(type) {
		case json.Delim:
			if tok == '{' || tok == '[' {
				stack = append(stack, &frame{object: tok == '{', keys: map[string]bool{}, wantKey: tok == '{'})
				text.deep = text.deep || len(stack) > maxDepth
				continue
			}
			stack = stack[:len(stack)-1]
		case string:
			raw := data[start:dec.InputOffset()]
			text.broken = text.broken || unpairedSurrogate(raw[bytes.IndexByte(raw, '"'):])
			if top := len(stack) - 1; top >= 0 && stack[top].wantKey {
				key := strings.Map(func(r rune) rune {
					if 'A' <= r && r <= 'Z' {
						return r + 'a' - 'A'
					}
					return r
				}, tok)
				text.broken = text.broken || stack[top].keys[key]
				stack[top].keys[key], stack[top].wantKey = true, false
				continue
			}
		}
		// A value ends.
		if len(stack) == 0 {
			return text
		}
		if top := stack[len(stack)-1]; top.object {
			top.wantKey = true
		}
	}
}

// unpairedSurrogate reports whether s, a JSON string, quotes included,
// holds a \u escape of a surrogate that is not half of a pair.
func unpairedSurrogate(s []byte) bool {
	unit := func(i int) rune { // the code unit of the \u escape at i, or -1
		if i+6 > len(s) || s[i] != '\\' || s[i+1] != 'u' {
			return -1
		}
		u, _ := strconv.ParseUint(string(s[i+2:i+6]), 16, 16)
		return rune(u)
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			continue
		}
		hi := unit(i)
		switch {
		case !utf16.IsSurrogate(hi):
			i++ // past the escaped character, or the u of \uXXXX
		case utf16.DecodeRune(hi, unit(i+6)) == utf8.RuneError:
			return true
		default:
			i += 11 // past the pair
		}
	}
	return false
}
