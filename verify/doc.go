// Package verify trial-decrypts baked secrets with KMS and checks their plaintext against the
// rules declared in the spec (compiled by package rules); Match checks a baked file against the
// declared secrets. Every problem with a secret is a Finding, which names what failed and why,
// never the value. It knows nothing of GitHub or YAML.
package verify
