package baked

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// BundleKey is the top-level key of a baked file's bundle. Its '$' keeps it
// out of the secret-name grammar, so it never collides with a name; any other
// top-level key starting with '$' is refused as a name.
const BundleKey = "$bundle"

// MaxBundleChunks is the most chunks a bundle may have.
const MaxBundleChunks = 64

// MaxBundleChunkSize is the most bytes of plaintext KMS Encrypt takes, so the
// most a chunk of a bundle holds.
const MaxBundleChunkSize = 4096

// The keys of the encryption context a bundle's chunks are encrypted with.
const (
	BundleContextDigest = "secret-baker:bundle"
	BundleContextChunk  = "secret-baker:chunk"
)

// BundleSecret is one item of a bundle's recorded list: an entry's name, its
// arn and its version as a string (an SSM entry's version in decimal, a
// Secrets Manager entry's version-id).
type BundleSecret struct {
	Name    string `json:"name"`
	ARN     string `json:"arn"`
	Version string `json:"version"`
}

// Bundle is the values of every secret of a baked file as one JSON object
// {"NAME": "value", ...}, encrypted with KMS Encrypt under Key in Chunks of
// at most MaxBundleChunkSize bytes of plaintext, chunk i of n with
// BundleContext(Digest, i, n), beside the list of the secrets it holds,
// sorted by name, and the list's BundleDigest. A reader decrypts it in one
// KMS call per chunk rather than one per secret.
type Bundle struct {
	Secrets []BundleSecret `json:"secrets"`
	Digest  string         `json:"digest"`
	Key     string         `json:"key"`
	Chunks  []string       `json:"chunks"` // canonical base64 of KMS ciphertext blobs
}

// Document is a baked file: its entries and, when it has one, its bundle.
type Document struct {
	Entries File
	Bundle  *Bundle // nil when the file has none
}

var digestPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

// BundleList returns the list of f's entries a bundle of f records, sorted by
// name.
func BundleList(f File) []BundleSecret {
	list := make([]BundleSecret, 0, len(f))
	for _, name := range slices.Sorted(maps.Keys(f)) {
		list = append(list, BundleSecret{Name: name, ARN: f[name].ARN, Version: f[name].bundleVersion()})
	}
	return list
}

// bundleVersion is the entry's version as a bundle records it: the
// version-id of a Secrets Manager entry, else the version in decimal, or ""
// when the entry records none.
func (e Entry) bundleVersion() string {
	switch {
	case e.SecretsManager():
		return e.VersionID
	case e.Version != 0:
		return strconv.FormatInt(e.Version, 10)
	}
	return ""
}

// BundleDigest returns "sha256:" and the hex SHA-256 of the list: of
// name + "\n" + arn + "\n" + version + "\n" for each item, in order.
func BundleDigest(list []BundleSecret) string {
	var b strings.Builder
	for _, s := range list {
		b.WriteString(s.Name + "\n" + s.ARN + "\n" + s.Version + "\n")
	}
	return Digest([]byte(b.String()))
}

// BundleContext returns the encryption context of chunk i (from 1) of n of
// the bundle of digest.
func BundleContext(digest string, i, n int) map[string]string {
	return map[string]string{BundleContextDigest: digest, BundleContextChunk: fmt.Sprintf("%d/%d", i, n)}
}

// SplitBundle splits plaintext into as few chunks of at most max bytes as
// hold it, anywhere, even inside a multi-byte character; an empty plaintext
// gives one empty chunk.
func SplitBundle(plaintext []byte, max int) [][]byte {
	if len(plaintext) == 0 || max < 1 {
		return [][]byte{plaintext}
	}
	return slices.Collect(slices.Chunk(plaintext, max))
}

// Marshal encodes d as File.Marshal does, with its bundle, if any, under
// BundleKey first: the same entries and bundle always give the same bytes.
func (d Document) Marshal() ([]byte, error) {
	if d.Bundle == nil {
		return d.Entries.Marshal()
	}
	top := make(map[string]any, len(d.Entries)+1)
	for name, e := range d.Entries {
		top[name] = e
	}
	top[BundleKey] = d.Bundle
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("failed to encode baked file: %w", err)
	}
	return buf.Bytes(), nil
}

// Check returns the FormatError of kind "bundle" when b breaks a rule of the
// README's bundle section for the entries f: its list not exactly f's
// entries, sorted, its digest not the list's, a chunk not canonical base64,
// more than MaxBundleChunks chunks, or no key. The message quotes nothing of
// the file.
func (b *Bundle) Check(f File) error {
	if len(b.Secrets) == 0 {
		return bundleError("secrets is empty")
	}
	for i, s := range b.Secrets {
		switch {
		case !validName(s.Name):
			return bundleError("the name of secret %d does not match %s", i+1, NamePattern)
		case s.ARN == "" || s.Version == "":
			return bundleError("secret %d has an empty arn or version", i+1)
		case i > 0 && s.Name <= b.Secrets[i-1].Name:
			return bundleError("secrets are not sorted by name, each once")
		}
	}
	switch {
	case !slices.Equal(b.Secrets, BundleList(f)):
		return bundleError("secrets are not the file's entries, with their arn and version")
	case !digestPattern.MatchString(b.Digest):
		return bundleError("digest is not sha256: and 64 lowercase hex digits")
	case b.Digest != BundleDigest(b.Secrets):
		return bundleError("digest is not the digest of secrets")
	case len(b.Chunks) == 0 || len(b.Chunks) > MaxBundleChunks:
		return bundleError("chunks does not hold 1 to %d chunks", MaxBundleChunks)
	case b.Key == "":
		return bundleError("key is empty")
	}
	for i, c := range b.Chunks {
		if _, err := DecodeCiphertext(c); err != nil {
			return bundleError("chunk %d is not canonical base64", i+1)
		}
	}
	return nil
}

// bundleError returns the FormatError of kind "bundle".
func bundleError(format string, args ...any) error {
	return &FormatError{Kind: kindBundle, msg: BundleKey + ": " + fmt.Sprintf(format, args...)}
}

// bundleValues returns the values of the bundle's plaintext, the JSON object
// of exactly the names of list to strings, no key twice, or false.
func bundleValues(plaintext []byte, list []BundleSecret) (map[string][]byte, bool) {
	if !utf8.Valid(plaintext) {
		return nil, false
	}
	l := &lexer{data: plaintext}
	values := make(map[string][]byte, len(list))
	open, err := l.next()
	if err == nil && open.kind == '{' {
		err = l.members(func(key token) error {
			value, err := l.next()
			if err == nil && value.kind != '"' {
				err = bundleError("a value is not a string")
			}
			values[key.text] = []byte(value.text)
			return err
		})
	}
	if l.skipSpace(); err != nil || open.kind != '{' || l.pos < len(plaintext) || len(values) != len(list) {
		return nil, false
	}
	for _, s := range list {
		if _, ok := values[s.Name]; !ok {
			return nil, false
		}
	}
	return values, true
}
