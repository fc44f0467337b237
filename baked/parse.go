package baked

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// Parse decodes a baked file by the rules of the README's file format
// section, which the Python and Node.js readers apply alike: a UTF-8 JSON
// object, without byte order mark or trailing data, that maps secret names
// matching NamePattern to objects of the fields of Entry and no others, with
// arn and ciphertext, no key twice or in two cases in one object, no unpaired
// surrogate escape; an entry with a context is a Secrets Manager entry, which
// holds secret-id and version-id and a context equal to SealedContext of its
// arn, version-id and json-key, and no parameter or version, which only an
// SSM entry holds. So it accepts files written by serverless-secret-baker
// (arn and ciphertext only). It takes a ciphertext as a non-empty string,
// which New, and verify, decode. Errors are *FormatError.
//
// A file may also hold a bundle under BundleKey, which Parse checks as
// ParseFile does, so that both accept and refuse the same files; ParseFile
// returns it.
func Parse(data []byte) (File, error) {
	d, err := ParseFile(data)
	return d.Entries, err
}

// ParseFile is Parse returning the bundle too, if the file has one: an
// object of exactly secrets, digest, key and chunks that Bundle.Check accepts
// for the file's entries, else a FormatError of kind "bundle".
func ParseFile(data []byte) (Document, error) {
	if bytes.HasPrefix(data, []byte("\uFEFF")) {
		return Document{}, malformed(kindBOM, 0, "byte order mark")
	}
	if at := invalidUTF8(data); at >= 0 {
		return Document{}, malformed(kindUTF8, at, "not UTF-8")
	}
	l := &lexer{data: data}
	open, err := l.next()
	if err == nil && open.kind != '{' {
		err = malformed(kindType, open.at, "not an object of secret names")
	}
	d := Document{Entries: File{}}
	if err == nil {
		err = l.members(func(key token) error {
			if key.text == BundleKey {
				b, err := l.bundle()
				d.Bundle = b
				return err
			}
			if !validName(key.text) {
				return malformed(kindName, key.at, "secret name not matching %s", NamePattern)
			}
			e, err := l.entry(key.text)
			d.Entries[key.text] = e
			return err
		})
	}
	if err == nil && d.Bundle != nil {
		err = d.Bundle.Check(d.Entries)
	}
	if err != nil {
		return Document{}, err
	}
	if l.skipSpace(); l.pos < len(data) {
		return Document{}, malformed(kindTrailing, l.pos, "unexpected data after the object")
	}
	return d, nil
}

// invalidUTF8 returns the offset of the first byte of data that is not
// UTF-8, or -1.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}

// members reads the members of the object whose '{' was just read: for each,
// its key, which may not equal a key before it, exactly or but for ASCII
// case, and the colon, then member reads its value.
func (l *lexer) members(member func(key token) error) error {
	seen := map[string]string{} // ASCII-lowercased key → key
	for first := true; ; first = false {
		key, err := l.next()
		switch {
		case err != nil:
			return err
		case first && key.kind == '}':
			return nil
		case key.kind != '"':
			return malformed(kindSyntax, key.at, "expected a key")
		}
		folded := asciiLower(key.text)
		if before, ok := seen[folded]; ok && before == key.text {
			return malformed(kindDuplicate, key.at, "duplicate key%s", quoted(key.text))
		} else if ok {
			return malformed(kindCase, key.at, "key%s differs from key%s only in case", quoted(key.text), quoted(before))
		}
		seen[folded] = key.text
		if colon, err := l.next(); err != nil || colon.kind != ':' {
			return orSyntax(err, colon.at, "':'")
		}
		if err := member(key); err != nil {
			return err
		}
		switch next, err := l.next(); {
		case err != nil || next.kind != ',' && next.kind != '}':
			return orSyntax(err, next.at, "',' or '}'")
		case next.kind == '}':
			return nil
		}
	}
}

// asciiLower returns s with A to Z mapped to a to z.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// field is a member of an entry; members are those of an object value.
type field struct {
	key, value token
	members    []field
}

// entry reads the object of the secret name.
func (l *lexer) entry(name string) (Entry, error) {
	open, err := l.next()
	if err != nil {
		return Entry{}, err
	}
	if open.kind != '{' {
		return Entry{}, malformed(kindType, open.at, "entry %q is not an object", name)
	}
	fields, err := l.fields(name, false)
	if err != nil {
		return Entry{}, err
	}
	return newEntry(name, fields)
}

// fields reads the members of an object of the entry of the secret name,
// whose '{' was just read: each value a string, a number or, unless the
// object is nested in the entry, an object of them.
func (l *lexer) fields(name string, nested bool) ([]field, error) {
	var fields []field
	err := l.members(func(key token) error {
		value, err := l.next()
		if err != nil {
			return err
		}
		f := field{key: key, value: value}
		switch {
		case value.kind == '"' || value.kind == '0':
		case value.kind == '{' && !nested:
			f.members, err = l.fields(name, true)
		case nested:
			err = malformed(kindType, value.at, "entry %q: a value in an object of the entry is not a string", name)
		default:
			err = f.typeError(name)
		}
		fields = append(fields, f)
		return err
	})
	return fields, err
}
