package leakcheck

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// minFormLen is the shortest derived form searched for: shorter ones (a short line of a
// multi-line value, the base64 of a few bytes) would match unrelated text. The value itself is
// always searched for.
const minFormLen = 8

// fragmentLen is the length of the first and last bytes of a value searched for on their own,
// as a message that truncates a value quotes them, in values at least twice as long.
const fragmentLen = 16

// form is one way a secret value can appear.
type form struct {
	name string // "value", "line 2", "base64 (std, shift 1)"...
	text string
}

// formsOf returns the distinct forms of value worth searching for.
func formsOf(value string) []form {
	var forms []form
	seen := map[string]bool{}
	add := func(name, text string, always bool) {
		if text == "" || seen[text] || (!always && len(text) < minFormLen) {
			return
		}
		seen[text] = true
		forms = append(forms, form{name, text})
	}
	add("value", value, true)
	for i, line := range valueLines(value) {
		add(fmt.Sprintf("line %d", i+1), line, false)
	}
	if len(value) >= 2*fragmentLen {
		add("its first bytes", value[:runeStart(value, fragmentLen)], false)
		add("its last bytes", value[runeStart(value, len(value)-fragmentLen):], false)
	}
	add("JSON-escaped", jsonEscape(value), false)
	add("Go-quoted", strings.Trim(strconv.Quote(value), `"`), false)
	add("URL-escaped", url.QueryEscape(value), false)
	add("command-escaped", escapeCommandData(value), false)
	add("hex", hex.EncodeToString([]byte(value)), false)
	add("HEX", strings.ToUpper(hex.EncodeToString([]byte(value))), false)
	for _, enc := range []struct {
		name string
		enc  *base64.Encoding
	}{{"std", base64.RawStdEncoding}, {"url", base64.RawURLEncoding}} {
		for shift := range 3 {
			add(fmt.Sprintf("base64 (%s, shift %d)", enc.name, shift), base64Core(enc.enc, []byte(value), shift), false)
		}
	}
	return forms
}

// runeStart returns the start of the rune holding byte i of s.
func runeStart(s string, i int) int {
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// valueLines returns the lines of a multi-line value, nil for a single-line one.
func valueLines(value string) []string {
	if !strings.ContainsAny(value, "\r\n") {
		return nil
	}
	return strings.Split(strings.ReplaceAll(value, "\r\n", "\n"), "\n")
}

// jsonEscape returns value as it appears inside a JSON string.
func jsonEscape(value string) string {
	b, _ := json.Marshal(value) // a string always marshals
	return strings.TrimSuffix(strings.TrimPrefix(string(b), `"`), `"`)
}

// escapeCommandData escapes value as a workflow command's data (after "::name::").
func escapeCommandData(value string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(value)
}

// unescapeCommandData undoes escapeCommandData.
func unescapeCommandData(data string) string {
	return strings.NewReplacer("%25", "%", "%0D", "\r", "%0A", "\n").Replace(data)
}

// base64Core returns the base64 characters that depend only on value's bytes when value starts
// shift bytes (0 to 2) into a 3-byte group of a longer encoded message: whatever surrounds
// value, the encoding of that message contains the core.
func base64Core(enc *base64.Encoding, value []byte, shift int) string {
	encoded := enc.EncodeToString(append(make([]byte, shift), value...))
	// Character i encodes bits [6i, 6i+6) of the message; value holds bits
	// [8·shift, 8·(shift+len)).
	start := (8*shift + 5) / 6
	end := 8 * (shift + len(value)) / 6
	if start >= end {
		return ""
	}
	return encoded[start:end]
}
