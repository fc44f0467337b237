// Package baked is the baked-file format shared by the bake and verify steps
// and by Lambda handlers: a JSON object that maps secret names to the KMS
// ciphertext of an SSM SecureString parameter, its ARN and its version, or
// to a Secrets Manager secret's value sealed at bake time with the
// encryption context that the entry records.
//
// The file holds ciphertext only. A handler decrypts an entry with KMS Decrypt
// and Entry.EncryptionContext: {"PARAMETER_ARN": arn} for an SSM entry,
// exactly as for files made by serverless-secret-baker, the recorded context
// for a Secrets Manager entry. Open and Secrets do that for Go handlers: lazily,
// once per secret per execution environment, through a KMS client only, so a
// function that imports this package links no SSM or STS code.
package baked
