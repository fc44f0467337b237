// Package baked is the baked-file format shared by the bake and verify steps
// and by Lambda handlers: a JSON object that maps secret names to the KMS
// ciphertext of an SSM SecureString parameter, its ARN and its version.
//
// The file holds ciphertext only. A handler decrypts an entry with KMS Decrypt
// and the encryption context {"PARAMETER_ARN": arn}, exactly as for files made
// by serverless-secret-baker. Open and Secrets do that for Go handlers: lazily,
// once per secret per execution environment, through a KMS client only, so a
// function that imports this package links no SSM or STS code.
package baked
