package verify

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
)

const fakeARNPrefix = "arn:aws:ssm:eu-west-1:123456789012:parameter"

// fakeSSM answers GetParameters for SecureString parameters with versions 1 to n and labels,
// as SSM does without decryption: the stored ciphertext of the selected version.
type fakeSSM struct {
	versions map[string]int64            // parameter name → its latest version
	labels   map[string]map[string]int64 // parameter name → label → version
	fail     error

	mu    sync.Mutex
	calls [][]string
}

// ciphertextOf is the ciphertext the fake holds for version v of name.
func ciphertextOf(name string, v int64) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("ciphertext of %s version %d", name, v)))
}

func entryOf(name string, v int64) baked.Entry {
	return baked.Entry{ARN: fakeARNPrefix + name, Ciphertext: ciphertextOf(name, v), Parameter: name, Version: v}
}

func (f *fakeSSM) GetParameters(_ context.Context, in *ssm.GetParametersInput, _ ...func(*ssm.Options)) (*ssm.GetParametersOutput, error) {
	f.mu.Lock()
	f.calls = append(f.calls, in.Names)
	f.mu.Unlock()
	if f.fail != nil {
		return nil, f.fail
	}
	if aws.ToBool(in.WithDecryption) {
		return nil, errors.New("the fake refuses to decrypt")
	}
	out := &ssm.GetParametersOutput{}
	for _, n := range in.Names {
		name, sel, _ := strings.Cut(n, ":")
		latest, ok := f.versions[name]
		v := latest
		if sel != "" {
			var err error
			if v, err = strconv.ParseInt(sel, 10, 64); err != nil {
				v, ok = f.labels[name][sel]
			}
		}
		if !ok || v < 1 || v > latest {
			out.InvalidParameters = append(out.InvalidParameters, n)
			continue
		}
		p := types.Parameter{
			Name: aws.String(name), ARN: aws.String(fakeARNPrefix + name), Version: v,
			Type: types.ParameterTypeSecureString, Value: aws.String(ciphertextOf(name, v)),
		}
		if sel != "" { // as SSM does: the selector asked for
			p.Selector = aws.String(":" + sel)
		}
		out.Parameters = append(out.Parameters, p)
	}
	return out, nil
}

// checkVersions reads what VersionReads asks for from client, through bake's GetParameters
// path as the verify command does, and checks the versions.
func checkVersions(t *testing.T, client *fakeSSM, file baked.File, declared []Declared) map[string][]Finding {
	t.Helper()
	held, missing, err := bake.New(client).Read(context.Background(), VersionReads(file, declared))
	if err != nil {
		t.Fatal(err)
	}
	return CheckVersions(file, declared, held, missing)
}

// TestCheckVersions is the catalogue of rolled-back, swapped and foreign entries: each must be
// refused with its reason, and a genuine entry of the selected version must pass.
func TestCheckVersions(t *testing.T) {
	t.Parallel()
	client := &fakeSSM{
		versions: map[string]int64{"/app/a": 3, "/app/b": 2, "plain": 1},
		labels:   map[string]map[string]int64{"/app/a": {"live": 2}},
	}
	with := func(e baked.Entry, edit func(*baked.Entry)) baked.Entry {
		edit(&e)
		return e
	}
	tests := []struct {
		name     string
		selector string
		entry    baked.Entry
		want     []error
	}{
		{"latest, unpinned", "/app/a", entryOf("/app/a", 3), nil},
		{"older version, unpinned", "/app/a", entryOf("/app/a", 1), nil},
		{"name without a slash", "plain", entryOf("plain", 1), nil},
		{"pinned and matching", "/app/a:2", entryOf("/app/a", 2), nil},
		{"labelled and matching", "/app/a:live", entryOf("/app/a", 2), nil},
		{"version 1 ciphertext under version 3", "/app/a", with(entryOf("/app/a", 1), func(e *baked.Entry) { e.Version = 3 }), []error{ErrOtherCiphertext}},
		{"version 1 ciphertext under the pinned version", "/app/a:2", with(entryOf("/app/a", 1), func(e *baked.Entry) { e.Version = 2 }), []error{ErrOtherCiphertext}},
		{"version 1 ciphertext under the labelled version", "/app/a:live", with(entryOf("/app/a", 1), func(e *baked.Entry) { e.Version = 2 }), []error{ErrOtherCiphertext}},
		{"genuine older version, but pinned: Match's business", "/app/a:2", entryOf("/app/a", 1), nil},
		{"genuine newer version, but labelled", "/app/a:live", entryOf("/app/a", 3), []error{ErrUnselectedVersion}},
		{"label SSM does not know", "/app/a:gone", entryOf("/app/a", 3), []error{ErrUnselectedVersion}},
		{"version SSM does not have", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.Version = 9 }), []error{ErrVersionNotInSSM}},
		{"deleted parameter", "/app/gone", entryOf("/app/gone", 1), []error{ErrVersionNotInSSM}},
		{"no version recorded", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.Version = 0 }), []error{ErrNoVersion}},
		{"another parameter's entry", "/app/a", with(entryOf("/app/b", 1), func(e *baked.Entry) {}), []error{ErrOtherARN, ErrOtherCiphertext}},
		{"altered ciphertext", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.Ciphertext = "A" + e.Ciphertext[1:] }), []error{ErrOtherCiphertext}},
		{"another account", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.ARN = strings.Replace(e.ARN, "123456789012", "210987654321", 1) }), []error{ErrOtherARN}},
		{"another region", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.ARN = strings.Replace(e.ARN, "eu-west-1", "us-east-1", 1) }), []error{ErrOtherARN}},
		{"another partition", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.ARN = strings.Replace(e.ARN, "arn:aws:", "arn:aws-cn:", 1) }), []error{ErrOtherARN}},
		{"another parameter name in the ARN", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.ARN += "x" }), []error{ErrOtherARN}},
		{"not an ARN", "/app/a", with(entryOf("/app/a", 3), func(e *baked.Entry) { e.ARN = "/app/a" }), []error{ErrOtherARN}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := checkVersions(t, client, baked.File{"S": tc.entry}, []Declared{{Name: "S", Parameter: tc.selector}})
			var reasons []error
			for _, f := range got["S"] {
				if f.Check != CheckVersion {
					t.Errorf("finding of check %q, want %q", f.Check, CheckVersion)
				}
				if strings.Contains(f.Message, tc.entry.Ciphertext) {
					t.Errorf("message quotes the ciphertext: %s", f.Message)
				}
				reasons = append(reasons, f.Reason)
			}
			if !slices.Equal(reasons, tc.want) {
				t.Errorf("reasons = %v, want %v\nfindings: %+v", reasons, tc.want, got["S"])
			}
		})
	}
}

func TestCheckVersionsNamesTheDifference(t *testing.T) {
	t.Parallel()
	e := entryOf("/app/a", 3)
	e.ARN = strings.Replace(e.ARN, "123456789012", "210987654321", 1)
	got := checkVersions(t, &fakeSSM{versions: map[string]int64{"/app/a": 3}}, baked.File{"S": e}, []Declared{{Name: "S", Parameter: "/app/a"}})
	if len(got["S"]) != 1 || !strings.Contains(got["S"][0].Message, "account 210987654321, want 123456789012") {
		t.Errorf("findings = %+v, want the account named", got["S"])
	}
}

// TestCheckVersionsBatches checks the calls: GetParameters without decryption, at most 10
// names each, one read per distinct selector, a label's two reads in separate calls.
func TestCheckVersionsBatches(t *testing.T) {
	t.Parallel()
	client := &fakeSSM{versions: map[string]int64{}, labels: map[string]map[string]int64{}}
	var declared []Declared
	file := baked.File{}
	for i := range 25 {
		name := fmt.Sprintf("/app/s%02d", i)
		client.versions[name] = 1
		declared = append(declared, Declared{Name: fmt.Sprint(i), Parameter: name})
		file[fmt.Sprint(i)] = entryOf(name, 1)
	}
	// The same parameter twice, and a label: its version and its label are two reads.
	declared = append(declared, Declared{Name: "again", Parameter: "/app/s00"}, Declared{Name: "label", Parameter: "/app/s01:live"}, Declared{Name: "missing", Parameter: "/app/s02"})
	file["again"], file["label"] = entryOf("/app/s00", 1), entryOf("/app/s01", 1)
	client.labels["/app/s01"] = map[string]int64{"live": 1}

	got := checkVersions(t, client, file, declared)
	if len(got) != 0 {
		t.Errorf("findings = %v, want none", got)
	}
	names := 0
	for _, call := range client.calls {
		if len(call) > bake.BatchSize {
			t.Errorf("a call asks for %d names", len(call))
		}
		names += len(call)
		bases := map[string]bool{}
		for _, n := range call {
			base, _, _ := strings.Cut(n, ":")
			if bases[base] {
				t.Errorf("a call asks for %s twice: %v", base, call)
			}
			bases[base] = true
		}
	}
	if names != 26 || len(client.calls) != 3 {
		t.Errorf("%d names in %d calls, want 26 in 3", names, len(client.calls))
	}
}

func TestReadFailure(t *testing.T) {
	t.Parallel()
	client := &fakeSSM{fail: errors.New("connection reset")}
	_, _, err := bake.New(client).Read(context.Background(), VersionReads(baked.File{"S": entryOf("/app/a", 1)}, []Declared{{Name: "S", Parameter: "/app/a"}}))
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("error = %v, want the SSM failure", err)
	}
}
