package baked

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"
)

// DefaultName is the file name Lambda handlers look for next to their code.
const DefaultName = "secret-baker-secrets.json"

// EncryptionContextKey is the KMS encryption context key SSM binds to a
// SecureString ciphertext; its value is the parameter ARN.
const EncryptionContextKey = "PARAMETER_ARN"

// The keys of the encryption context a Secrets Manager entry is sealed with.
const (
	contextSecretARN = "SecretARN"
	contextVersionID = "SecretVersionId"
	contextJSONKey   = "json-key"
)

// ErrMalformed is wrapped by every error about a file that is not a valid
// baked file.
var ErrMalformed = errors.New("malformed baked file")

// Entry is one baked secret: an SSM entry, a SecureString parameter whose
// ciphertext SSM gave, or a Secrets Manager entry, a secret's value (or one
// field of its JSON) that the bake sealed with KMS Encrypt under the context
// SealedContext gives. Context is set in a Secrets Manager entry only;
// Parameter and Version are set in an SSM entry only, and SecretID,
// VersionID and JSONKey in a Secrets Manager entry only.
type Entry struct {
	// ARN is the parameter ARN, the value of the PARAMETER_ARN encryption
	// context, or the secret ARN of a Secrets Manager entry.
	ARN string `json:"arn"`
	// Ciphertext is base64 of a KMS ciphertext blob: the parameter value
	// exactly as SSM returned it without decryption, or the secret's value as
	// the bake sealed it.
	Ciphertext string `json:"ciphertext"`
	// Parameter is the parameter name as declared, selector included.
	Parameter string `json:"parameter,omitempty"`
	// Version is the parameter version that was baked, 1 to 2^53-1; zero
	// when the file does not record it.
	Version int64 `json:"version,omitempty"`
	// SecretID is the secret id of a Secrets Manager entry as declared, a
	// name or an ARN.
	SecretID string `json:"secret-id,omitempty"`
	// VersionID is the Secrets Manager version id that was baked.
	VersionID string `json:"version-id,omitempty"`
	// JSONKey is the field of the secret's JSON value that was baked, empty
	// when the whole value was.
	JSONKey string `json:"json-key,omitempty"`
	// Context is the KMS encryption context of a Secrets Manager entry, nil for an SSM entry.
	Context map[string]string `json:"context,omitempty"`
	// Modified is when that version was set (SSM's LastModifiedDate, or the
	// Secrets Manager version's CreatedDate, UTC,
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
// was encrypted with: a copy of Context for a Secrets Manager entry, else
// {"PARAMETER_ARN": ARN}.
func (e Entry) EncryptionContext() map[string]string {
	if e.Context != nil {
		return maps.Clone(e.Context)
	}
	return map[string]string{EncryptionContextKey: e.ARN}
}

// SecretsManager reports whether e is a Secrets Manager entry, one with a
// Context.
func (e Entry) SecretsManager() bool { return e.Context != nil }

// SealedContext returns the encryption context a bake seals a Secrets
// Manager secret's value with, and Parse requires of an entry's context:
// {"SecretARN": secretARN, "SecretVersionId": versionID}, and "json-key":
// jsonKey when one field of the value is sealed, that is jsonKey is not
// empty.
func SealedContext(secretARN, versionID, jsonKey string) map[string]string {
	c := map[string]string{contextSecretARN: secretARN, contextVersionID: versionID}
	if jsonKey != "" {
		c[contextJSONKey] = jsonKey
	}
	return c
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
