package bake

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/org/secret-baker/baked"
)

func TestRead(t *testing.T) {
	t.Parallel()
	client := &fakeSSM{t: t, parameters: map[string]types.Parameter{
		"/a:1":    secureString("/a", 1),
		"/a:live": secureString("/a", 2),
		"/plain":  parameter("/plain", 1, types.ParameterTypeString, "x"),
	}}
	found, missing, err := New(client).Read(context.Background(), []string{"/a:1", "/a:live", "/gone:3", "/plain", "bad name"})
	if err != nil {
		t.Fatal(err)
	}
	if found["/a:1"].Version != 1 || found["/a:live"].Version != 2 || len(found) != 2 {
		t.Errorf("found = %+v, want /a:1 at version 1 and /a:live at version 2", found)
	}
	for sel, want := range map[string]error{"/gone:3": ErrNotFound, "/plain": ErrNotSecureString, "bad name": baked.ErrInvalidSelector} {
		if !errors.Is(missing[sel], want) {
			t.Errorf("missing[%q] = %v, want %v", sel, missing[sel], want)
		}
	}
	if len(client.calls) != 1 {
		t.Errorf("%d calls, want 1: SSM answers each selector of a parameter with its Selector", len(client.calls))
	}

	client.err = errors.New("throttled for good")
	if _, _, err := New(client).Read(context.Background(), []string{"/a:1"}); !errors.Is(err, client.err) {
		t.Errorf("error = %v, want the SSM failure", err)
	}
}
