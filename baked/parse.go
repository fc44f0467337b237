package baked

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Parse decodes a baked file. It accepts files written by
// serverless-secret-baker (entries with only arn and ciphertext) and ignores
// unknown entry fields, but rejects duplicate names, entries without arn or
// ciphertext, and anything that is not a JSON object of objects. Modified
// times are returned in UTC, as Marshal writes them. Errors wrap
// ErrMalformed and give byte offsets, never file content.
func Parse(data []byte) (File, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	f := File{}
	for dec.More() {
		offset := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(dec, err)
		}
		name, _ := tok.(string)
		if _, dup := f[name]; dup {
			return nil, fmt.Errorf("%w: duplicate secret %q at byte %d", ErrMalformed, name, offset)
		}
		var e Entry
		if err := dec.Decode(&e); err != nil {
			return nil, fmt.Errorf("%w: entry %q is not an object of strings, a version and a modified time (byte %d)", ErrMalformed, name, dec.InputOffset())
		}
		if e.ARN == "" || e.Ciphertext == "" {
			return nil, fmt.Errorf("%w: entry %q lacks arn or ciphertext", ErrMalformed, name)
		}
		if e.Modified = e.Modified.UTC(); e.Modified.Year() < 0 || e.Modified.Year() > 9999 {
			return nil, fmt.Errorf("%w: entry %q has a modified time out of range", ErrMalformed, name)
		}
		f[name] = e
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%w: unexpected data after the object at byte %d", ErrMalformed, dec.InputOffset())
	}
	return f, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(dec, err)
	}
	if got, ok := tok.(json.Delim); !ok || got != want {
		return fmt.Errorf("%w: expected %q at byte %d", ErrMalformed, want, dec.InputOffset())
	}
	return nil
}

// syntaxError reports where decoding failed without quoting the input.
func syntaxError(dec *json.Decoder, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: unexpected end of file", ErrMalformed)
	}
	return fmt.Errorf("%w: invalid JSON at byte %d", ErrMalformed, dec.InputOffset())
}
