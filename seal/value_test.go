package seal

import (
	"errors"
	"strings"
	"testing"
)

func TestField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, value, key string
		want             string
		wantErr          error
	}{
		{"a string", `{"k":"LEAK-pw"}`, "k", "LEAK-pw", nil},
		{"escapes", `{"k":"a\"b\\c\u00e9"}`, "k", `a"b\cé`, nil},
		{"a surrogate pair", `{"k":"\ud83d\ude00"}`, "k", "😀", nil},
		{"an escaped backslash before u", `{"k":"\\ud800"}`, "k", `\ud800`, nil},
		{"a number as written", `{"k":1.50e2}`, "k", "1.50e2", nil},
		{"an object, compact", `{"k": {"b": 1, "a": "x"}}`, "k", `{"b":1,"a":"x"}`, nil},
		{"true", `{"k":true}`, "k", "true", nil},
		{"an array, compact", `{"k": [1, "a"]}`, "k", `[1,"a"]`, nil},
		{"a dotted key, literally", `{"db.host":"x","db":{"host":"y"}}`, "db.host", "x", nil},
		{"null is nothing", `{"k":null}`, "k", "", nil},
		{"a lone high surrogate", `{"k":"LEAK\ud800x"}`, "k", "", ErrNotText},
		{"a lone low surrogate", `{"k":"LEAK\udc00"}`, "k", "", ErrNotText},
		{"a high surrogate at the end", `{"k":"LEAK\ud800"}`, "k", "", ErrNotText},
		{"two highs", `{"k":"\ud800\ud800"}`, "k", "", ErrNotText},
		{"no such key", `{"other":"LEAK"}`, "k", "", ErrNoJSONKey},
		{"not JSON", `LEAK`, "k", "", ErrNotJSON},
		{"not an object", `["LEAK"]`, "k", "", ErrNotJSON},
	}
	for _, tt := range tests {
		got, err := field([]byte(tt.value), tt.key)
		if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
			t.Errorf("%s: error %v, want %v", tt.name, err, tt.wantErr)
		}
		if err != nil && strings.Contains(err.Error(), "LEAK") {
			t.Errorf("%s: error %q quotes the value", tt.name, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s: field = %q, want %q", tt.name, got, tt.want)
		}
	}
}
