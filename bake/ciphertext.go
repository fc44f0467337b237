package bake

import (
	"encoding/base64"
	"fmt"
)

// checkCiphertext accepts a SecureString value that KMS Decrypt can open: a
// base64 KMS ciphertext blob. It refuses an AWS Encryption SDK message, which
// is how SSM stores advanced-tier values.
func checkCiphertext(value string) error {
	blob, err := base64.StdEncoding.DecodeString(value)
	if err != nil || len(blob) == 0 {
		return ErrUnexpectedCiphertext
	}
	if isEncryptionSDKMessage(blob) {
		return fmt.Errorf("%w; store the parameter in the standard tier", ErrAdvancedTier)
	}
	return nil
}

// isEncryptionSDKMessage reports whether blob starts with an AWS Encryption
// SDK message header: version 1 (0x01) with type 0x80, or version 2 (0x02)
// with a committing algorithm suite (0x0478 or 0x0578).
func isEncryptionSDKMessage(blob []byte) bool {
	if len(blob) < 3 {
		return false
	}
	switch blob[0] {
	case 0x01:
		return blob[1] == 0x80
	case 0x02:
		return blob[2] == 0x78 && (blob[1] == 0x04 || blob[1] == 0x05)
	}
	return false
}
