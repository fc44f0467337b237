package baked_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
)

// A handler opens the baked file deployed next to it once, in its
// initialization, and looks secrets up by name in each invocation: the first
// lookup of a name calls KMS, the others are answered from memory.
func ExampleOpen() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	secrets, err := baked.Open(baked.DefaultPath(), kms.NewFromConfig(cfg))
	if err != nil {
		log.Fatal(err)
	}

	key, err := secrets.Bytes(ctx, "SIGNING_KEY")
	if err != nil {
		log.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("message"))
	fmt.Printf("%x\n", mac.Sum(nil))
}

// DecryptAll moves every KMS call to the function's initialization.
func ExampleSecrets_DecryptAll() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}
	secrets, err := baked.Open(baked.DefaultPath(), kms.NewFromConfig(cfg))
	if err != nil {
		log.Fatal(err)
	}
	if err := secrets.DecryptAll(ctx); err != nil {
		log.Fatal(err)
	}
}
