package bake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/org/secret-baker/baked"
)

// TestBakeRefusals checks each parameter Bake must refuse: the problem names the
// secret and its parameter, errors.Is finds the reason in what Bake returns, and
// the other secret is still baked, in one GetParameters call.
func TestBakeRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		parameter string
		answer    *types.Parameter // SSM's answer for the parameter; nil for none
		want      error
		wantText  string
		wantCalls int
	}{
		{name: "not found", parameter: "/missing", want: ErrNotFound, wantText: "parameter or version not found", wantCalls: 1},
		{name: "version not found", parameter: "/p:99", want: ErrNotFound, wantText: "parameter or version not found", wantCalls: 1},
		{name: "label not found", parameter: "/p:nolabel", want: ErrNotFound, wantText: "parameter or version not found", wantCalls: 1},
		{
			name: "String", parameter: "/plain", answer: ptr(parameter("/plain", 1, types.ParameterTypeString, "plaintext")),
			want: ErrNotSecureString, wantText: "not a SecureString: it is a String parameter", wantCalls: 1,
		},
		{
			name: "StringList", parameter: "/list", answer: ptr(parameter("/list", 1, types.ParameterTypeStringList, "a,b")),
			want: ErrNotSecureString, wantText: "not a SecureString: it is a StringList parameter", wantCalls: 1,
		},
		{
			name: "advanced tier", parameter: "/adv", answer: ptr(parameter("/adv", 1, types.ParameterTypeSecureString, "AgV4aGVsbG8=")),
			want: ErrAdvancedTier, wantText: "advanced-tier value (an AWS Encryption SDK message) cannot be opened by KMS Decrypt", wantCalls: 1,
		},
		{
			name: "not ciphertext", parameter: "/odd", answer: ptr(parameter("/odd", 1, types.ParameterTypeSecureString, "kms:not-base64")),
			want: ErrUnexpectedCiphertext, wantText: "value is not base64 ciphertext", wantCalls: 1,
		},
		{name: "Secrets Manager reference", parameter: "/aws/reference/secretsmanager/db", want: ErrSecretsManagerRef, wantText: "a Secrets Manager reference cannot be baked", wantCalls: 1},
		{name: "invalid selector", parameter: "/has space", want: baked.ErrInvalidSelector, wantText: "invalid parameter name or selector", wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ssm := &fakeSSM{t: t, parameters: map[string]types.Parameter{"/good": secureString("/good", 1)}}
			if tt.answer != nil {
				ssm.parameters[tt.parameter] = *tt.answer
			}
			file, err := New(ssm).Bake(t.Context(), []Secret{{"GOOD", "/good"}, {"BAD", tt.parameter}})

			var problems Problems
			if !errors.As(err, &problems) || len(problems) != 1 {
				t.Fatalf("Bake() error = %v, want one problem", err)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.want)
			}
			p := problems[0]
			wantPrefix := fmt.Sprintf("secret %q (parameter %q): ", "BAD", tt.parameter)
			if tt.want == baked.ErrInvalidSelector {
				wantPrefix = fmt.Sprintf("secret %q: ", "BAD")
			}
			if p.Name != "BAD" || p.Parameter != tt.parameter || !strings.HasPrefix(p.Error(), wantPrefix) || !strings.Contains(p.Error(), tt.wantText) {
				t.Errorf("problem = %q (%s, %s), want %q then %q", p, p.Name, p.Parameter, wantPrefix, tt.wantText)
			}
			if e, ok := file["GOOD"]; !ok || len(file) != 1 || e.Parameter != "/good" || e.Version != 1 {
				t.Errorf("file = %+v, want GOOD alone", file)
			}
			if len(ssm.calls) != tt.wantCalls {
				t.Errorf("%d GetParameters calls, want %d", len(ssm.calls), tt.wantCalls)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestBakeProblemsInDeclarationOrder lists every problem in one error, in the order the
// secrets are declared, whatever the call they came from.
func TestBakeProblemsInDeclarationOrder(t *testing.T) {
	t.Parallel()
	ssm := &fakeSSM{t: t, parameters: map[string]types.Parameter{"/a": secureString("/a", 1)}}
	secrets := []Secret{{"M1", "/m1"}, {"BAD", "bad name"}, {"A", "/a"}, {"M2", "/a:7"}, {"SM", "/aws/reference/secretsmanager/x"}}
	file, err := New(ssm).Bake(t.Context(), secrets)
	var problems Problems
	if !errors.As(err, &problems) {
		t.Fatalf("Bake() error = %v, want Problems", err)
	}
	var names []string
	for _, p := range problems {
		names = append(names, p.Name)
	}
	if want := []string{"M1", "BAD", "M2", "SM"}; !slices.Equal(names, want) {
		t.Errorf("problems of %v, want %v", names, want)
	}
	if !strings.HasPrefix(err.Error(), "4 secret(s) cannot be baked:\n") {
		t.Errorf("error = %q", err)
	}
	for _, reason := range []error{ErrNotFound, baked.ErrInvalidSelector, ErrSecretsManagerRef} {
		if !errors.Is(err, reason) {
			t.Errorf("errors.Is(err, %v) = false", reason)
		}
	}
	if _, ok := file["A"]; !ok || len(file) != 1 {
		t.Errorf("file = %+v, want A alone", file)
	}
}

// TestBakeSameParameter asks for a selector declared twice once, and for two versions of one
// parameter in the same call, since SSM answers each with its Selector.
func TestBakeSameParameter(t *testing.T) {
	t.Parallel()
	ssm := &fakeSSM{t: t, parameters: map[string]types.Parameter{
		"/a":   secureString("/a", 2),
		"/a:1": secureString("/a", 1),
		"/b":   secureString("/b", 1),
	}}
	file, err := New(ssm, WithConcurrency(1)).Bake(t.Context(), []Secret{{"A", "/a"}, {"A_AGAIN", "/a"}, {"A_OLD", "/a:1"}, {"B", "/b"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ssm.calls); got != "[[/a /a:1 /b]]" {
		t.Errorf("calls = %s, want [[/a /a:1 /b]]", got)
	}
	for name, want := range map[string]int64{"A": 2, "A_AGAIN": 2, "A_OLD": 1, "B": 1} {
		if e := file[name]; e.Version != want || e.Ciphertext == "" || !strings.HasSuffix(e.ARN, "parameter/"+strings.ToLower(name[:1])) {
			t.Errorf("%s = %+v, want version %d", name, e, want)
		}
	}
	if e := file["A_OLD"]; e.Parameter != "/a:1" {
		t.Errorf("A_OLD records parameter %q, want the selector as declared", e.Parameter)
	}
}

// TestBakeBatching reads 25 parameters in three calls of at most ten, never more calls in
// flight than the concurrency, with progress counts that rise one call at a time.
func TestBakeBatching(t *testing.T) {
	t.Parallel()
	for _, concurrency := range []int{1, 2, 4} {
		t.Run(fmt.Sprint(concurrency), func(t *testing.T) {
			t.Parallel()
			ssm := &fakeSSM{t: t, parameters: map[string]types.Parameter{}}
			var secrets []Secret
			for i := range 25 {
				name := fmt.Sprintf("/p/%02d", i)
				ssm.parameters[name] = secureString(name, 1)
				secrets = append(secrets, Secret{Name: fmt.Sprintf("S%02d", i), Parameter: name})
			}
			var counts []int
			file, err := New(ssm, WithConcurrency(concurrency), WithProgress(func(done, total int) {
				if total != 3 {
					t.Errorf("progress total = %d, want 3", total)
				}
				counts = append(counts, done)
			})).Bake(t.Context(), secrets)
			if err != nil {
				t.Fatal(err)
			}
			if len(file) != 25 {
				t.Errorf("file holds %d secrets, want 25", len(file))
			}
			var sizes []int
			for _, c := range ssm.calls {
				sizes = append(sizes, len(c))
			}
			slices.Sort(sizes)
			if !slices.Equal(sizes, []int{5, 10, 10}) {
				t.Errorf("call sizes %v, want 5, 10, 10", sizes)
			}
			if ssm.peak > concurrency {
				t.Errorf("%d calls in flight, want at most %d", ssm.peak, concurrency)
			}
			if !slices.Equal(counts, []int{1, 2, 3}) {
				t.Errorf("progress counts %v, want 1, 2, 3", counts)
			}
		})
	}
}

// TestBakeSSMError fails the whole bake, with no file, when SSM cannot be read.
func TestBakeSSMError(t *testing.T) {
	t.Parallel()
	cause := errors.New("throttled for good")
	ssm := &fakeSSM{t: t, err: cause}
	file, err := New(ssm).Bake(t.Context(), []Secret{{"A", "/a"}})
	if file != nil || !errors.Is(err, cause) || err.Error() != "failed to get parameters: throttled for good" {
		t.Errorf("Bake() = %v, %v; want no file and the SSM error", file, err)
	}
}

// TestBakeNothing makes no call for no secrets.
func TestBakeNothing(t *testing.T) {
	t.Parallel()
	ssm := &fakeSSM{t: t}
	file, err := New(ssm).Bake(t.Context(), nil)
	if err != nil || len(file) != 0 || len(ssm.calls) != 0 {
		t.Errorf("Bake(nil) = %v, %v with %d calls", file, err, len(ssm.calls))
	}
}
