package bake

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// fakeSSM answers GetParameters from parameters, by selector as SSM would: each
// found one under its name, with the Selector it was asked for, the others as
// invalid. It records the names of every call and how many calls were in flight
// at most.
type fakeSSM struct {
	t          *testing.T
	parameters map[string]types.Parameter // by selector
	err        error                      // returned by every call when set

	mu       sync.Mutex
	calls    [][]string
	inFlight int
	peak     int
}

func (f *fakeSSM) GetParameters(ctx context.Context, in *ssm.GetParametersInput, _ ...func(*ssm.Options)) (*ssm.GetParametersOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, in.Names)
	f.inFlight++
	f.peak = max(f.peak, f.inFlight)
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inFlight--
		f.mu.Unlock()
	}()
	if aws.ToBool(in.WithDecryption) {
		f.t.Error("GetParameters asked to decrypt")
	}
	if len(in.Names) > BatchSize {
		f.t.Errorf("GetParameters with %d names, SSM takes at most %d", len(in.Names), BatchSize)
	}
	if f.err != nil {
		return nil, f.err
	}
	out := &ssm.GetParametersOutput{}
	seen := map[string]bool{}
	for _, n := range in.Names {
		if seen[n] {
			f.t.Errorf("GetParameters asks for %s twice in one call", n)
		}
		seen[n] = true
		if p, ok := f.parameters[n]; ok {
			if _, selector, ok := strings.Cut(n, ":"); ok {
				p.Selector = aws.String(":" + selector)
			}
			out.Parameters = append(out.Parameters, p)
		} else {
			out.InvalidParameters = append(out.InvalidParameters, n)
		}
	}
	return out, nil
}

// secureString is a SecureString parameter as GetParameters returns it without decryption.
func secureString(name string, version int64) types.Parameter {
	return parameter(name, version, types.ParameterTypeSecureString, "AQICAHh4dGVzdA==")
}

func parameter(name string, version int64, typ types.ParameterType, value string) types.Parameter {
	return types.Parameter{
		Name:    aws.String(name),
		ARN:     aws.String("arn:aws:ssm:us-east-1:123456789012:parameter" + name),
		Type:    typ,
		Value:   aws.String(value),
		Version: version,
	}
}
