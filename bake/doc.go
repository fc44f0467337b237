// Package bake reads SSM SecureString parameters without decrypting them and
// turns them into baked-file entries. It knows nothing of GitHub or YAML: it
// takes secret names and parameter selectors and returns a baked.File or the
// per-secret problems that stop it.
package bake
