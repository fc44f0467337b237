// Package seal bakes AWS Secrets Manager secrets. Secrets Manager never hands
// out its ciphertext (GetSecretValue always decrypts), so each value, or one
// field of a JSON value, is read into memory only and sealed with KMS Encrypt
// under a customer managed key, bound by its encryption context to the
// secret's ARN and version (and json-key): baked.SealedContext. When the
// previous baked file holds an entry for the same secret ARN, version and
// json-key that still decrypts to the same value, its ciphertext is reused,
// so baking unchanged versions twice gives the same bytes.
//
// It knows nothing of GitHub or YAML.
package seal
