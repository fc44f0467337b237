package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/org/secret-baker/internal/testing/bakedtest"
	"github.com/org/secret-baker/internal/testing/testbed"
)

func TestMain(m *testing.M) {
	testbed.Main(m)
}

// TestHandler runs the example as Lambda would: the AWS configuration and
// LAMBDA_TASK_ROOT come from the environment.
func TestHandler(t *testing.T) {
	const region = "eu-west-1"
	emu := testbed.Shared(t)
	fx := bakedtest.Bake(t, emu, region, map[string]string{"SIGNING_KEY": "sïgning-kéy-🔑"})
	p := emu.Proxy(t)
	for _, kv := range p.Env(region) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("LAMBDA_TASK_ROOT", fx.Dir)

	ctx := context.Background()
	h, err := newHandler(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, []byte(fx.Values["SIGNING_KEY"]))
	mac.Write([]byte("hello"))
	want := hex.EncodeToString(mac.Sum(nil))
	for invocation := 1; invocation <= 2; invocation++ {
		res, err := h.handle(ctx, event{Message: "hello"})
		if err != nil {
			t.Fatalf("invocation %d: %v", invocation, err)
		}
		if res.Signature != want {
			t.Errorf("invocation %d: signature %s, want %s", invocation, res.Signature, want)
		}
	}
	if got := p.Calls("kms:Decrypt"); got != 1 {
		t.Errorf("%d KMS Decrypt calls for two invocations, want 1", got)
	}
}
