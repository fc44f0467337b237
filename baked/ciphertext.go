package baked

import (
	"encoding/base64"
	"errors"
)

// errNotCanonical is DecodeCiphertext's error for base64 that decodes but is
// not the canonical form of a non-empty blob.
var errNotCanonical = errors.New("not the canonical base64 of a non-empty blob")

// DecodeCiphertext returns the KMS ciphertext blob that an entry's
// ciphertext encodes. Like the Python and Node.js readers, it accepts only
// the canonical standard base64 of a non-empty blob, as SSM writes it:
// padded, without the line breaks and stray trailing bits that
// base64.StdEncoding lets through. A ciphertext that does not decode gives
// base64.CorruptInputError.
func DecodeCiphertext(s string) ([]byte, error) {
	blob, err := base64.StdEncoding.DecodeString(s)
	if err == nil && (len(blob) == 0 || base64.StdEncoding.EncodeToString(blob) != s) {
		err = errNotCanonical
	}
	return blob, err
}
