package seal

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// field returns the value of key in the JSON object value: a string as it
// is, any other JSON value as its compact JSON text. Its errors name the key,
// never the value.
func field(value []byte, key string) ([]byte, error) {
	var object map[string]json.RawMessage
	if err := json.Unmarshal(value, &object); err != nil || object == nil {
		return nil, ErrNotJSON
	}
	raw, ok := object[key]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNoJSONKey, key)
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return []byte(s), nil
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return nil, ErrNotJSON
	}
	return compact.Bytes(), nil
}
