// Package rotation is the rotation age policy of baked secrets: how old a
// baked parameter version may be (max-age) and when to warn (warn-age), the
// grammar of those ages ("90d", "12h") and the check of one version's age.
// It knows nothing of YAML, AWS or GitHub.
package rotation
