// Package rules compiles the validators a spec declares for a secret, RE2 regexes (naming the
// PCRE constructs RE2 lacks) and JSON Schemas (Draft 2020-12), and checks plaintext against
// them. Its violations never quote the value. It is a leaf: spec compiles rules with it and
// verify checks them, and neither links AWS through it.
package rules
