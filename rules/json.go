package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// JSONError says where data is not one JSON value, by byte offset and kind:
// encoding/json's own messages quote the input, so it never does.
type JSONError struct {
	// Kind is what is wrong: "syntax error", "empty", "unexpected end" or
	// "unexpected data after the value".
	Kind string
	// Offset is the byte where it goes wrong, -1 for "empty".
	Offset int64
}

func (e *JSONError) Error() string {
	if e.Offset < 0 {
		return fmt.Sprintf("%v: %s", ErrNotJSON, e.Kind)
	}
	return fmt.Sprintf("%v: %s at byte %d", ErrNotJSON, e.Kind, e.Offset)
}

// Unwrap returns ErrNotJSON.
func (e *JSONError) Unwrap() error { return ErrNotJSON }

// LineColumn returns the 1-based line and column of the error's offset in
// data, for a file a person edits.
func (e *JSONError) LineColumn(data []byte) (line, column int) {
	before := data[:min(max(e.Offset-1, 0), int64(len(data)))] // the offending byte is the last one read
	return 1 + bytes.Count(before, []byte("\n")), len(before) - bytes.LastIndexByte(before, '\n')
}

// DecodeJSON parses the one JSON value in data as jsonschema expects it
// (numbers as json.Number), for secret values and schema files alike. Its
// errors are *JSONError.
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		var syntax *json.SyntaxError
		switch {
		case errors.As(err, &syntax):
			return nil, &JSONError{Kind: "syntax error", Offset: syntax.Offset}
		case errors.Is(err, io.EOF):
			return nil, &JSONError{Kind: "empty", Offset: -1}
		default:
			return nil, &JSONError{Kind: "unexpected end", Offset: int64(len(data))}
		}
	}
	end := int(dec.InputOffset())
	if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
		return nil, &JSONError{Kind: "unexpected data after the value", Offset: int64(len(data) - len(rest))}
	}
	return doc, nil
}
