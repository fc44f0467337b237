// Package drift tells which secrets of a deployed baked file are stale: SSM
// now holds another version than the one baked, for the same selector. It
// reads parameters with GetParameters, WithDecryption=false, through the bake
// package's batching, and calls no KMS: no value is ever decrypted.
//
// Each secret costs one name in a GetParameters call: an unpinned secret and
// a version pin ask for the bare parameter name (its current version), a
// label pin for NAME:LABEL. Names are asked once however many secrets share
// them, so a file of N secrets costs ⌈D/10⌉ calls for its D ≤ N distinct
// names.
package drift
