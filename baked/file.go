package baked

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// DefaultName is the file name Lambda handlers look for next to their code.
const DefaultName = "secret-baker-secrets.json"

// EncryptionContextKey is the KMS encryption context key SSM binds to a
// SecureString ciphertext; its value is the parameter ARN.
const EncryptionContextKey = "PARAMETER_ARN"

// ErrMalformed is wrapped by every error about a file that is not a valid
// baked file.
var ErrMalformed = errors.New("malformed baked file")

// Entry is one baked secret.
type Entry struct {
	// ARN is the parameter ARN, the value of the PARAMETER_ARN encryption context.
	ARN string `json:"arn"`
	// Ciphertext is the parameter value exactly as SSM returned it without
	// decryption: base64 of a KMS ciphertext blob.
	Ciphertext string `json:"ciphertext"`
	// Parameter is the parameter name as declared, selector included.
	Parameter string `json:"parameter,omitempty"`
	// Version is the parameter version that was baked, 1 to 2^53-1; zero
	// when the file does not record it.
	Version int64 `json:"version,omitempty"`
	// Modified is when that version was set (SSM's LastModifiedDate, UTC,
	// whole seconds, from 1970 to 9999, the only times Parse accepts): a
	// property of the version, so the file stays deterministic, and drift
	// can tell the baked version's age offline. Zero when the file does not
	// record it.
	Modified time.Time `json:"modified,omitzero"`
	// KeyARN is the KMS key that decrypted the entry when it was verified;
	// readers pass it to Decrypt as KeyId, so that KMS refuses a ciphertext
	// under any other key. Empty when the bake was not verified.
	KeyARN string `json:"key,omitempty"`
}

// EncryptionContext returns the KMS encryption context the entry's ciphertext
// was encrypted with.
func (e Entry) EncryptionContext() map[string]string {
	return map[string]string{EncryptionContextKey: e.ARN}
}

// File maps secret names to their entries.
type File map[string]Entry

// RecordKey records keyARN as the key that decrypted secret name when it was
// verified. It does nothing for an empty keyARN or a name f does not hold.
func (f File) RecordKey(name, keyARN string) {
	if e, ok := f[name]; ok && keyARN != "" {
		e.KeyARN = keyARN
		f[name] = e
	}
}

// Marshal encodes f deterministically: keys sorted, two-space indent, a
// trailing newline, so that the same parameter versions always give the same
// bytes.
func (f File) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(map[string]Entry(f)); err != nil {
		return nil, fmt.Errorf("failed to encode baked file: %w", err)
	}
	return buf.Bytes(), nil
}

// Digest returns "sha256:" followed by the hex SHA-256 of data.
func Digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
