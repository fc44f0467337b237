package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestBakeRefusals checks that each parameter bake must refuse fails the run
// with the secret's name and spec line, leaves the previous file as it was,
// and that the other secrets are still read so that one run reports all.
func TestBakeRefusals(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	tests := []struct {
		name string
		// param returns the parameter to declare, seeding what it needs.
		param func(t *testing.T, f *fixture) string
		want  string
	}{
		{
			name:  "missing parameter",
			param: func(t *testing.T, f *fixture) string { return f.prefix + "/does-not-exist" },
			want:  "parameter or version not found",
		},
		{
			name:  "missing version",
			param: func(t *testing.T, f *fixture) string { return f.put(t, "/p", "v") + ":99" },
			want:  "parameter or version not found",
		},
		{
			name:  "missing label",
			param: func(t *testing.T, f *fixture) string { return f.put(t, "/p", "v") + ":nolabel" },
			want:  "parameter or version not found",
		},
		{
			name: "String parameter",
			param: func(t *testing.T, f *fixture) string {
				if err := f.seeder.PutString(context.Background(), f.prefix+"/plain", "plaintext-value"); err != nil {
					t.Fatal(err)
				}
				return f.prefix + "/plain"
			},
			want: "not a SecureString: it is a String parameter",
		},
		{
			name: "advanced tier",
			param: func(t *testing.T, f *fixture) string {
				if err := f.seeder.PutAdvanced(context.Background(), f.prefix+"/adv", "v", f.keyID); err != nil {
					t.Fatal(err)
				}
				return f.prefix + "/adv"
			},
			want: "advanced-tier value (an AWS Encryption SDK message) cannot be opened by KMS Decrypt",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			good := f.put(t, "/good", "good-value")
			writeFiles(t, f.workspace, map[string]string{
				".github/secret-baker.yml": "secrets:\n  GOOD: " + good + "\n  BAD: " + tc.param(t, f) + "\n",
				baked.DefaultName:          "previous\n",
			})
			got := f.run(t, nil, "--verify=false")

			if got.code == 0 {
				t.Fatalf("exit 0, want failure\nstdout:\n%s", got.stdout)
			}
			wantLine := `.github/secret-baker.yml:3:3: secret "BAD"`
			if !strings.Contains(got.stderr, wantLine) || !strings.Contains(got.stderr, tc.want) {
				t.Errorf("stderr =\n%s\nwant a line with %q and %q", got.stderr, wantLine, tc.want)
			}
			if strings.Contains(got.stderr, `"GOOD"`) {
				t.Errorf("stderr blames GOOD:\n%s", got.stderr)
			}
			if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
				t.Errorf("output file changed to %q", data)
			}
			// Every problem is reported in one run: GOOD is still read
			// (and BAD too, when SSM must say what is wrong with it).
			if n := f.proxy.Calls("ssm:GetParameters"); n != 1 {
				t.Errorf("GetParameters calls = %d, want 1", n)
			}
		})
	}
}

// TestInvalidParameterRefusedUnquoted: a parameter that is no selector is
// refused when the spec is read, located at the value, without quoting it,
// before any AWS call (the offline fixture fails on any), and the previous
// file stays as it was.
func TestInvalidParameterRefusedUnquoted(t *testing.T) {
	t.Parallel()
	f := newOfflineFixture(t)
	writeFiles(t, f.workspace, map[string]string{
		".github/secret-baker.yml": "secrets:\n  GOOD: /good\n  BAD: \"/has space-hunter2\"\n",
		baked.DefaultName:          "previous\n",
	})
	got := f.run(t, nil, "--verify=false")
	if got.code != 1 || !strings.Contains(got.stderr, ".github/secret-baker.yml:3:8: ") || !strings.Contains(got.stderr, "invalid parameter name or selector") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and a located selector error", got.code, got.stderr)
	}
	if strings.Contains(got.stdout+got.stderr, "hunter2") {
		t.Errorf("the invalid parameter is quoted:\n%s%s", got.stdout, got.stderr)
	}
	if data := f.readOutput(t, baked.DefaultName); string(data) != "previous\n" {
		t.Errorf("output file changed to %q", data)
	}
}

// TestOutputConfinement checks that outputs outside the workspace are refused
// before any AWS call.
func TestOutputConfinement(t *testing.T) {
	t.Parallel()
	testbed.Shared(t) // without the emulator, one skip for the whole table
	outside := t.TempDir()
	tests := []struct {
		name   string
		output string
		setup  func(t *testing.T, workspace string)
		want   string
	}{
		{"absolute path elsewhere", filepath.Join(outside, "s.json"), nil, "outside the workspace"},
		{"dot-dot escape", "../s.json", nil, "outside the workspace"},
		{"symlink out", "link/s.json", func(t *testing.T, ws string) {
			if err := os.Symlink(outside, filepath.Join(ws, "link")); err != nil {
				t.Fatal(err)
			}
		}, "outside the workspace"},
		{"onto a directory", "dir", func(t *testing.T, ws string) {
			if err := os.Mkdir(filepath.Join(ws, "dir"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "is a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": "secrets:\n  A: " + f.put(t, "/a", "v") + "\n"})
			if tc.setup != nil {
				tc.setup(t, f.workspace)
			}
			got := f.run(t, nil, "--output", tc.output)
			if got.code == 0 || !strings.Contains(got.stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant failure with %q", got.code, got.stderr, tc.want)
			}
			if calls := f.proxy.CallsTotal(); len(calls) != 0 {
				t.Errorf("AWS calls made before refusing: %v", calls)
			}
			if entries, _ := os.ReadDir(outside); len(entries) != 0 {
				t.Errorf("something was written outside the workspace: %v", entries)
			}
		})
	}
}
