package verify

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// pagedSSM answers DescribeParameters as AWS may: at most perPage of the names asked for a
// page, with a NextToken while any are left, and records the names of each call.
type pagedSSM struct {
	keys    map[string]string // parameter name -> KeyId
	perPage int
	calls   [][]string
}

func (p *pagedSSM) DescribeParameters(_ context.Context, in *ssm.DescribeParametersInput, _ ...func(*ssm.Options)) (*ssm.DescribeParametersOutput, error) {
	names := in.ParameterFilters[0].Values
	p.calls = append(p.calls, names)
	start := 0
	if in.NextToken != nil {
		start, _ = strconv.Atoi(*in.NextToken)
	}
	out := &ssm.DescribeParametersOutput{}
	for _, n := range names[start:min(start+p.perPage, len(names))] {
		if key, ok := p.keys[n]; ok {
			out.Parameters = append(out.Parameters, ssmtypes.ParameterMetadata{Name: aws.String(n), KeyId: aws.String(key)})
		}
	}
	if start+p.perPage < len(names) {
		out.NextToken = aws.String(strconv.Itoa(start + p.perPage))
	}
	return out, nil
}

func TestParameterKeys(t *testing.T) {
	t.Parallel()
	var names []string
	keys := map[string]string{}
	for i := range 53 {
		n := "/app/p" + strconv.Itoa(i)
		names = append(names, n)
		if i != 7 { // a parameter deleted since the bake: never found
			keys[n] = "alias/k" + strconv.Itoa(i%2)
		}
	}
	tests := []struct {
		name      string
		perPage   int
		wantCalls int
	}{
		{name: "whole batches", perPage: 50, wantCalls: 2},
		{name: "best-effort pages", perPage: 20, wantCalls: 4}, // 20+20+10, then 3
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := &pagedSSM{keys: keys, perPage: tt.perPage}
			r := &run{Verifier: New(nil, WithSSM(fake))}
			got, err := r.parameterKeys(context.Background(), names)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, keys) {
				t.Errorf("keys = %v, want %v", got, keys)
			}
			if len(fake.calls) != tt.wantCalls {
				t.Errorf("%d calls, want %d", len(fake.calls), tt.wantCalls)
			}
			for _, c := range fake.calls {
				if len(c) > describeBatch {
					t.Errorf("a call filtered on %d names, more than %d", len(c), describeBatch)
				}
			}
			if !slices.Equal(fake.calls[len(fake.calls)-1], names[50:]) {
				t.Errorf("last call names %v, want the last 3", fake.calls[len(fake.calls)-1])
			}
		})
	}
}

func TestParameterKeysWithoutSSM(t *testing.T) {
	t.Parallel()
	r := &run{Verifier: New(nil)}
	if got, err := r.parameterKeys(context.Background(), []string{"/a"}); got != nil || err != nil {
		t.Errorf("parameterKeys() = %v, %v; want nothing looked up", got, err)
	}
}

func TestRefusalFindings(t *testing.T) {
	t.Parallel()
	denied := errors.New("denied")
	tests := []struct {
		name      string
		rf        refusal
		keyID     string
		lookupErr error
		want      []error
		wantCheck []string
	}{
		{name: "denied, AWS managed", rf: refusal{err: denied}, keyID: "alias/aws/ssm", want: []error{ErrAWSManagedKey}, wantCheck: []string{CheckKey}},
		{name: "denied, AWS managed alias ARN", rf: refusal{err: denied}, keyID: "arn:aws:kms:us-east-1:123456789012:alias/aws/ssm", want: []error{ErrAWSManagedKey}, wantCheck: []string{CheckKey}},
		{name: "denied, customer key", rf: refusal{err: denied}, keyID: "alias/app", want: []error{ErrAccessDenied}, wantCheck: []string{CheckDecrypt}},
		{name: "denied, key unknown", rf: refusal{err: denied}, lookupErr: denied, want: []error{ErrAccessDenied}, wantCheck: []string{CheckDecrypt}},
		{name: "wrong key", rf: refusal{incorrectKey: true}, keyID: "alias/other", want: []error{ErrWrongKey}, wantCheck: []string{CheckKey}},
		{name: "wrong key, AWS managed", rf: refusal{incorrectKey: true}, keyID: "alias/aws/ssm", want: []error{ErrWrongKey, ErrAWSManagedKey}, wantCheck: []string{CheckKey, CheckKey}},
		{name: "wrong key, unknown", rf: refusal{incorrectKey: true}, want: []error{ErrWrongKey}, wantCheck: []string{CheckKey}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []error
			var checks []string
			for _, f := range tt.rf.findings(tt.keyID, "alias/required", tt.lookupErr) {
				got = append(got, f.Reason)
				checks = append(checks, f.Check)
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(checks, tt.wantCheck) {
				t.Errorf("findings %v (checks %q), want %v (%q)", got, checks, tt.want, tt.wantCheck)
			}
		})
	}
}
