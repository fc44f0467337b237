package baked

import (
	"context"
	"testing"
	"time"
)

// TestPanicDoesNotWedge: a KMS client that panics once does not leave the
// secret waiting on a call that never ends: the panic reaches its caller,
// and the next lookup decrypts.
func TestPanicDoesNotWedge(t *testing.T) {
	t.Parallel()
	var f flight[string]
	panicked := func() (recovered any) {
		defer func() { recovered = recover() }()
		_, _ = f.get(context.Background(), func() string { return "A" }, func(context.Context) (string, error) { panic("client bug") })
		return nil
	}()
	if panicked == nil {
		t.Fatal("the panic did not reach the caller")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, err := f.get(ctx, func() string { return "A" }, func(context.Context) (string, error) { return "value", nil })
	if err != nil || got != "value" {
		t.Errorf("get after a panic = %q, %v; want the value", got, err)
	}
}
