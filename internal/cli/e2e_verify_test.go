package cli

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestVerifyFailures runs bake (and the verify command over a baked file
// that was changed afterwards) for each way a secret can fail verification,
// and checks the failure is reported at the spec line declaring the secret.
func TestVerifyFailures(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	const token = "tok_0123456789abcdefABCDEF0123456789"
	tests := []struct {
		name string
		// declare returns the spec line for secret BAD, seeding what it needs.
		declare func(t *testing.T, f *fixture) string
		// tamper, when set, changes the baked entry and runs the verify command.
		tamper func(e baked.Entry) baked.Entry
		// requiredKey is the spec's kms-key-id; the fixture's key when empty.
		requiredKey func(t *testing.T, f *fixture) string
		want        []string
	}{
		{
			name: "regex",
			declare: func(t *testing.T, f *fixture) string {
				return "{path: " + f.put(t, "/bad", "tok_short") + ", regex: '^tok_[A-Za-z0-9]{32}$'}"
			},
			want: []string{"does not match"},
		},
		{
			name: "schema with several violations",
			declare: func(t *testing.T, f *fixture) string {
				return "{path: " + f.put(t, "/bad", `{"port": "eighty", "extra": 1}`) + ", schema: {type: object, required: [host], properties: {port: {type: integer}}, additionalProperties: false}}"
			},
			want: []string{`missing required property "host"`, `/port: got string, want integer`, `has 1 property not allowed by additionalProperties (names withheld)`},
		},
		{
			name: "not JSON under a schema",
			declare: func(t *testing.T, f *fixture) string {
				return "{path: " + f.put(t, "/bad", `{"a": tru}`) + ", schema: {type: object}}"
			},
			want: []string{"not valid JSON: syntax error at byte 10"},
		},
		{
			name:    "tampered ciphertext",
			declare: func(t *testing.T, f *fixture) string { return f.put(t, "/bad", "v") },
			tamper: func(e baked.Entry) baked.Entry {
				blob, _ := base64.StdEncoding.DecodeString(e.Ciphertext)
				blob[len(blob)-1] ^= 1
				e.Ciphertext = base64.StdEncoding.EncodeToString(blob)
				return e
			},
			// Not the ciphertext SSM holds: refused without a Decrypt.
			want: []string{"the ciphertext is not the one SSM holds for version 1"},
		},
		{
			name:    "ARN altered in the file",
			declare: func(t *testing.T, f *fixture) string { return f.put(t, "/bad", "v") },
			tamper: func(e baked.Entry) baked.Entry {
				e.ARN = strings.Replace(e.ARN, "/bad", "/other", 1)
				return e
			},
			// Not the ARN SSM answers: refused without a Decrypt.
			want: []string{"the parameter's ARN in this run's account and region"},
		},
		{
			name:    "recorded key altered in the file",
			declare: func(t *testing.T, f *fixture) string { return f.put(t, "/bad", "v") },
			tamper: func(e baked.Entry) baked.Entry {
				e.KeyARN = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"
				return e
			},
			want: []string{"but the baked file records key arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"},
		},
		{
			name: "AWS managed key",
			declare: func(t *testing.T, f *fixture) string {
				name := f.prefix + "/bad"
				if _, err := f.seeder.PutSecureString(context.Background(), name, "v", ""); err != nil {
					t.Fatal(err)
				}
				return name
			},
			requiredKey: func(t *testing.T, f *fixture) string { return "" },
			// KMS refuses a direct Decrypt under an AWS managed key; DescribeParameters names
			// the key that explains the refusal.
			want: []string{"encrypted with the AWS managed key", "re-put the parameter", "customer managed key"},
		},
		{
			name: "required key mismatch",
			declare: func(t *testing.T, f *fixture) string {
				_, other, err := f.seeder.CreateKey(context.Background(), "alias"+f.prefix+"-other")
				if err != nil {
					t.Fatal(err)
				}
				name := f.prefix + "/bad"
				if _, err := f.seeder.PutSecureString(context.Background(), name, "v", other); err != nil {
					t.Fatal(err)
				}
				return name
			},
			// KMS refuses the required key; DescribeParameters names the key used.
			want: []string{"encrypted with key", "required"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			required := f.keyAlias
			if tc.requiredKey != nil {
				required = tc.requiredKey(t, f)
			}
			spec := "kms-key-id: '" + required + "'\nsecrets:\n  GOOD: {path: " + f.put(t, "/good", token) + ", regex: '^tok_'}\n  BAD: " + tc.declare(t, f) + "\n"
			if required == "" {
				spec = strings.SplitN(spec, "\n", 2)[1]
			}
			writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": spec})
			wantLine := `.github/secret-baker.yml:4:3: secret "BAD"`
			if required == "" {
				wantLine = `.github/secret-baker.yml:3:3: secret "BAD"`
			}

			var got result
			if tc.tamper == nil {
				writeFiles(t, f.workspace, map[string]string{baked.DefaultName: "previous\n"})
				got = f.run(t, nil)
				if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
					t.Errorf("a failed verification changed the output file")
				}
			} else {
				if r := f.run(t, nil, "--verify=false"); r.code != 0 {
					t.Fatalf("bake: exit %d: %s", r.code, r.stderr)
				}
				file := f.readBaked(t)
				file["BAD"] = tc.tamper(file["BAD"])
				data, _ := file.Marshal()
				writeFiles(t, f.workspace, map[string]string{baked.DefaultName: string(data)})
				got = f.run(t, nil, "verify", "--file", baked.DefaultName)
			}

			if got.code != 1 {
				t.Errorf("exit %d, want 1", got.code)
			}
			var badLines []string
			for _, line := range strings.Split(got.stderr, "\n") {
				if strings.Contains(line, `"GOOD"`) {
					t.Errorf("GOOD is reported: %s", line)
				}
				if strings.Contains(line, wantLine) {
					badLines = append(badLines, line)
				}
			}
			joined := strings.Join(badLines, "\n")
			for _, w := range tc.want {
				if !strings.Contains(joined, w) {
					t.Errorf("no line %q... mentions %q; stderr:\n%s", wantLine, w, got.stderr)
				}
			}
		})
	}
}

// TestVerifyCallCounts checks that a clean run makes the least calls: one GetParameters per 10
// secrets and one Decrypt per secret, and nothing else; Decrypt enforces the required key.
func TestVerifyCallCounts(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 10, 11, 200} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			var spec strings.Builder
			spec.WriteString("kms-key-id: " + f.keyAlias + "\nsecrets:\n")
			for i := range n {
				fmt.Fprintf(&spec, "  S%03d: %s\n", i, f.put(t, fmt.Sprintf("/s%03d", i), "value"))
			}
			writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": spec.String()})
			f.mustRun(t, nil)
			want := map[string]int{"ssm:GetParameters": (n + 9) / 10, "kms:Decrypt": n}
			if got := f.proxy.CallsTotal(); !equalCounts(got, want) {
				t.Errorf("calls = %v, want %v", got, want)
			}
			file := f.readBaked(t)
			if len(file) != n {
				t.Errorf("baked %d secrets, want %d", len(file), n)
			}
			for name, e := range file {
				if e.KeyARN != f.keyARN {
					t.Errorf("%s records key %q, want the key that decrypted it, %s", name, e.KeyARN, f.keyARN)
				}
			}
		})
	}
}
