package seal

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// field returns the value of key in the JSON object value: a string as it
// is, null as nothing (which Seal refuses as empty), any other JSON value as
// its compact JSON text. A string holding an unpaired surrogate escape,
// which decoding would turn into U+FFFD, is refused. Its errors name the
// key, never the value.
func field(value []byte, key string) ([]byte, error) {
	var object map[string]json.RawMessage
	if err := json.Unmarshal(value, &object); err != nil || object == nil {
		return nil, ErrNotJSON
	}
	raw, ok := object[key]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoJSONKey, key)
	}
	if bytes.HasPrefix(raw, []byte(`"`)) {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil || loneSurrogate(raw) {
			return nil, fmt.Errorf("%w: %s", ErrNotText, key)
		}
		return []byte(s), nil
	}
	if bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, ErrNotJSON
	}
	return compact.Bytes(), nil
}

// loneSurrogate reports whether the JSON string raw holds a \u escape of a
// surrogate that is not one of a high and low pair.
func loneSurrogate(raw []byte) bool {
	escape := func(i int) (rune, bool) { // the \uXXXX at i
		if i+6 > len(raw) || raw[i] != '\\' || raw[i+1] != 'u' {
			return 0, false
		}
		v, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 32)
		return rune(v), err == nil
	}
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		r, ok := escape(i)
		switch {
		case !ok:
			i++ // another escape: skip its character
		case r >= 0xdc00 && r < 0xe000:
			return true
		case r >= 0xd800 && r < 0xdc00:
			low, ok := escape(i + 6)
			if !ok || low < 0xdc00 || low >= 0xe000 {
				return true
			}
			i += 11
		default:
			i += 5
		}
	}
	return false
}
