package main

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
)

// decryptOp is how the proxy names KMS Decrypt.
const decryptOp = "kms:Decrypt"

// coldStart does what a Lambda function's initialization does with the Go
// reader: it opens the baked file and decrypts every secret (DecryptAll),
// through a fresh proxy that counts the KMS calls. Then it asks for every
// secret again, as a warm invocation does, which calls KMS no more. No
// plaintext is printed.
func (d *demo) coldStart(ctx context.Context) error {
	d.heading("3. the Lambda side: a cold start of the Go reader (package baked) decrypts the file, one KMS call per secret")
	data, err := os.ReadFile(filepath.Join(d.workDir, baked.DefaultName))
	if err != nil {
		return err
	}
	file, err := baked.Parse(data)
	if err != nil {
		return err
	}
	proxy, err := d.proxy()
	if err != nil {
		return err
	}
	defer proxy.Close()
	started := time.Now()
	secrets, err := baked.New(file, kms.NewFromConfig(proxy.AWSConfig(region)))
	if err != nil {
		return err
	}
	if err := secrets.DecryptAll(ctx); err != nil {
		return fmt.Errorf("the reader failed to decrypt the baked file: %w", err)
	}
	cold := proxy.Calls(decryptOp)
	fmt.Fprintf(d.out, "cold start: %d secrets decrypted with %d KMS Decrypt calls in %v\n", len(file), cold, time.Since(started).Round(time.Millisecond))
	for _, name := range slices.Sorted(maps.Keys(file)) {
		if _, err := secrets.Get(ctx, name); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.out, "warm invocation: all %d secrets again, %d more KMS calls\n", len(file), proxy.Calls(decryptOp)-cold)
	return nil
}
