package baked

import (
	"fmt"
	"os"
	"path/filepath"
)

// Open reads and parses the baked file at path and returns its Secrets,
// decrypted through client, a *kms.Client, from its bundle when it has one
// (NewDocument). Errors wrap the file system's
// (fs.ErrNotExist for a missing file) or ErrMalformed.
func Open(path string, client KMSClient) (*Secrets, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read baked file: %w", err)
	}
	d, err := ParseFile(data)
	var s *Secrets
	if err == nil {
		s, err = NewDocument(d, client)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to open %s: %w", path, err)
	}
	return s, nil
}

// DefaultPath returns where a Lambda function's baked file is deployed:
// DefaultName in the function's code directory, $LAMBDA_TASK_ROOT, or in the
// working directory when that variable is unset. It is the only place this
// package reads the environment.
func DefaultPath() string {
	return filepath.Join(os.Getenv("LAMBDA_TASK_ROOT"), DefaultName)
}
