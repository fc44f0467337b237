package verify

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/org/secret-baker/internal/pace"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestThrottledExplanations checks that with 60% of Decrypt and DescribeParameters requests
// throttled, through clients paced as the program paces them, every secret gets the results it
// gets without throttling: refusals explained, nothing failed for throttling.
func TestThrottledExplanations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cmkAlias, cmkID, _ := f.key(t, "cmk")
	_, otherID, _ := f.key(t, "other")
	var input []Secret
	for i := range 12 {
		name, key := fmt.Sprintf("S%02d", i), []string{cmkID, otherID, ""}[i%3]
		input = append(input, Secret{Name: name, Entry: f.entry(t, name, "value", key)})
	}
	cfg := f.proxy.AWSConfig(region)
	pace.New(pace.Options{}).Configure(&cfg)
	verifier := New(kms.NewFromConfig(cfg), WithSSM(ssm.NewFromConfig(cfg)), WithRequiredKey(cmkAlias))

	want, err := verifier.Verify(context.Background(), input)
	if err != nil {
		t.Fatal(err)
	}
	chaos := testbed.NewChaos(3, 1<<30)
	f.proxy.SetFault(chaos.Fail(0.6, []string{"kms:Decrypt", "ssm:DescribeParameters"}, testbed.Throttling))
	got, err := verifier.Verify(context.Background(), input)
	if err != nil {
		t.Fatalf("Verify() under throttling: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("results under throttling differ:\n got %+v\nwant %+v", got, want)
	}
	for _, op := range []string{"kms:Decrypt", "ssm:DescribeParameters"} {
		if chaos.InjectedFor(op) == 0 {
			t.Errorf("no throttling injected into %s", op)
		}
	}
}
