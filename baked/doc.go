// Package baked is the baked-file format shared by the bake and verify steps
// and by Lambda handlers: a JSON object that maps secret names to the KMS
// ciphertext of an SSM SecureString parameter, its ARN and its version.
//
// The file holds ciphertext only. A handler decrypts an entry with KMS Decrypt
// and the encryption context {"PARAMETER_ARN": arn}, exactly as for files made
// by serverless-secret-baker.
package baked
