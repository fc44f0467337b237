// Command example is a Lambda function handler that reads its secrets from
// the baked file deployed next to it.
//
// A real function passes h.handle to lambda.Start from
// github.com/aws/aws-lambda-go/lambda. This example calls it once from main
// instead, so that it builds with this module's dependencies alone.
package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/org/secret-baker/baked"
)

// event is what the function is invoked with.
type event struct {
	Message string `json:"message"`
}

// response is what the function returns: never a secret, only what it
// computed with one.
type response struct {
	Signature string `json:"signature"`
}

// handler holds what lives as long as the execution environment.
type handler struct {
	secrets *baked.Secrets
}

// newHandler runs once per cold start: it opens the baked file but calls KMS
// only when a secret is first looked up.
func newHandler(ctx context.Context) (*handler, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithHTTPClient(baked.HTTPClient()))
	if err != nil {
		return nil, fmt.Errorf("failed to load AWS configuration: %w", err)
	}
	secrets, err := baked.Open(baked.DefaultPath(), kms.NewFromConfig(cfg))
	if err != nil {
		return nil, err
	}
	return &handler{secrets: secrets}, nil
}

// handle signs the message with the SIGNING_KEY secret.
func (h *handler) handle(ctx context.Context, ev event) (response, error) {
	key, err := h.secrets.Bytes(ctx, "SIGNING_KEY")
	if err != nil {
		return response{}, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(ev.Message))
	return response{Signature: hex.EncodeToString(mac.Sum(nil))}, nil
}

func main() {
	ctx := context.Background()
	h, err := newHandler(ctx)
	if err != nil {
		log.Fatal(err)
	}
	res, err := h.handle(ctx, event{Message: "hello"}) // lambda.Start(h.handle)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Signature)
}
