package drift_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/drift"
	"github.com/org/secret-baker/internal/testing/testbed"
)

const region = "eu-west-1"

// bed is one test's parameters on the shared emulator, and a proxy that
// counts the calls drift makes.
type bed struct {
	seed   *testbed.Seeder
	proxy  *testbed.Proxy
	prefix string
	keyID  string
}

func newBed(t *testing.T) *bed {
	t.Helper()
	emu := testbed.Shared(t)
	b := &bed{seed: emu.Seeder(region), proxy: emu.Proxy(t), prefix: testbed.UniquePrefix(t)}
	var err error
	if b.keyID, _, err = b.seed.CreateKey(context.Background(), ""); err != nil {
		t.Fatal(err)
	}
	return b
}

// put stores a new version of the SecureString name under the bed's prefix.
func (b *bed) put(t *testing.T, name string) int64 {
	t.Helper()
	v, err := b.seed.PutSecureString(context.Background(), b.prefix+name, "value of "+name, b.keyID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// bake bakes secrets (name → selector under the prefix) straight from the
// emulator, so that the proxy counts only drift's calls.
func (b *bed) bake(t *testing.T, emu *testbed.Emulator, secrets map[string]string) baked.File {
	t.Helper()
	var list []bake.Secret
	for name, selector := range secrets {
		list = append(list, bake.Secret{Name: name, Parameter: b.prefix + selector})
	}
	file, err := bake.New(ssm.NewFromConfig(emu.AWSConfig(region))).Bake(context.Background(), list)
	if err != nil {
		t.Fatal(err)
	}
	return file
}

// check runs drift through the proxy.
func (b *bed) check(t *testing.T, file baked.File) map[string]drift.Result {
	t.Helper()
	c := drift.New(bake.New(ssm.NewFromConfig(b.proxy.AWSConfig(region))))
	results, err := c.Check(context.Background(), file, drift.Recorded(file))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]drift.Result{}
	for _, r := range results {
		byName[r.Name] = r
	}
	return byName
}

func TestDriftOnTheEmulator(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	emu := testbed.Shared(t)
	b := newBed(t)
	for _, name := range []string{"/current", "/rotated", "/pinned", "/label", "/deleted", "/string", "/shared"} {
		b.put(t, name)
	}
	b.put(t, "/pinned") // version 2, baked as /pinned:2
	for _, label := range []string{"/label", "/shared"} {
		if err := b.seed.LabelVersion(ctx, b.prefix+label, 1, "live"); err != nil {
			t.Fatal(err)
		}
	}
	file := b.bake(t, emu, map[string]string{
		"CURRENT":      "/current",
		"ROTATED":      "/rotated",
		"PINNED":       "/pinned:2",
		"LABEL":        "/label:live",
		"DELETED":      "/deleted",
		"STRING":       "/string",
		"SHARED":       "/shared",      // one parameter under two selectors,
		"SHARED_LABEL": "/shared:live", // asked for in one call
	})

	// After the bake: rotate, pin past, move a label, delete, turn into a String.
	b.put(t, "/rotated")
	b.put(t, "/pinned")
	b.put(t, "/label")
	if err := b.seed.LabelVersion(ctx, b.prefix+"/label", 2, "live"); err != nil {
		t.Fatal(err)
	}
	b.put(t, "/shared")
	if err := b.seed.Delete(ctx, b.prefix+"/deleted"); err != nil {
		t.Fatal(err)
	}
	if err := b.seed.PutString(ctx, b.prefix+"/string", "now plain"); err != nil {
		t.Fatal(err)
	}

	got := b.check(t, file)
	tests := []struct {
		name           string
		stale, newer   bool
		baked, current int64
		problem        error
	}{
		{name: "CURRENT", baked: 1, current: 1},
		{name: "ROTATED", stale: true, baked: 1, current: 2},
		{name: "PINNED", newer: true, baked: 2, current: 3},
		{name: "LABEL", stale: true, baked: 1, current: 2},
		{name: "DELETED", baked: 1, problem: bake.ErrNotFound},
		{name: "STRING", baked: 1, problem: bake.ErrNotSecureString},
		{name: "SHARED", stale: true, baked: 1, current: 2},
		{name: "SHARED_LABEL", baked: 1, current: 1},
	}
	for _, tc := range tests {
		r := got[tc.name]
		if r.Stale != tc.stale || r.Newer() != tc.newer || r.Baked != tc.baked || r.Current != tc.current || !errors.Is(r.Problem, tc.problem) {
			t.Errorf("%s: stale %v, newer %v, version %d → %d, problem %v; want stale %v, newer %v, %d → %d, problem %v",
				tc.name, r.Stale, r.Newer(), r.Baked, r.Current, r.Problem, tc.stale, tc.newer, tc.baked, tc.current, tc.problem)
		}
		if tc.problem == nil && (r.BakedSet.IsZero() || r.CurrentSet.IsZero() || r.CurrentSet.Before(r.BakedSet)) {
			t.Errorf("%s: baked version set %v, current %v", tc.name, r.BakedSet, r.CurrentSet)
		}
	}
	// Eight secrets, seven distinct names asked: one call, no KMS.
	calls := b.proxy.CallsTotal()
	if want := map[string]int{"ssm:GetParameters": 1}; !maps.Equal(calls, want) {
		t.Errorf("calls = %v, want %v", calls, want)
	}
}

func TestDriftCallCount(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	for _, n := range []int{1, 10, 11, 25} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			b := newBed(t)
			secrets := map[string]string{}
			for i := range n {
				name := fmt.Sprintf("/p%02d", i)
				b.put(t, name)
				secrets[fmt.Sprintf("SECRET_%02d", i)] = name
			}
			file := b.bake(t, emu, secrets)
			for i := 0; i < n; i += 3 {
				b.put(t, fmt.Sprintf("/p%02d", i))
			}
			stale := 0
			for _, r := range b.check(t, file) {
				if r.Problem != nil {
					t.Errorf("%s: %v", r.Name, r.Problem)
				}
				if r.Stale {
					stale++
				}
			}
			if want := (n + 2) / 3; stale != want {
				t.Errorf("%d stale secrets, want %d", stale, want)
			}
			calls := b.proxy.CallsTotal()
			if want := map[string]int{"ssm:GetParameters": (n + 9) / 10}; !maps.Equal(calls, want) {
				t.Errorf("calls = %v, want %v", calls, want)
			}
		})
	}
}
