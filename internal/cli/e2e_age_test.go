package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/org/secret-baker/baked"
)

// TestBakeAgePolicy bakes a version on both sides of its warn-age and its
// max-age, with the program's clock set from the time SSM dated the version.
func TestBakeAgePolicy(t *testing.T) {
	t.Parallel()
	const spec = ".github/secret-baker.yml"
	f := newFixture(t)
	param := f.put(t, "/a", "v")
	writeFiles(t, f.workspace, map[string]string{spec: "secrets:\n  A: " + param + "\n"})
	f.mustRun(t, nil, "--verify=false")
	set := f.readBaked(t)["A"].Modified
	if set.IsZero() || time.Since(set) > time.Hour {
		t.Fatalf("the baked file records version 1 as set %v", set)
	}
	writeFiles(t, f.workspace, map[string]string{spec: "max-age: 1d\nwarn-age: 12h\nsecrets:\n  A: " + param + "\n"})

	warning := "::warning col=3,file=" + spec + ",line=4,title=Secret A is older than its warn-age::" + spec +
		":4:3: secret \"A\" (parameter \"/PREFIX/a\", version 1): it was set on DATE, 12h ago, which is more than its warn-age 12h; rotate it soon: bakes fail once it is older than its max-age 1d"
	failure := "::error col=3,file=" + spec + ",line=4,title=Secret A is older than its max-age::" + spec +
		":4:3: secret \"A\" (parameter \"/PREFIX/a\", version 1): it was set on DATE, 1d ago, which is more than its max-age 1d; rotate it (put a new version of the parameter) or raise max-age"
	tests := []struct {
		age      time.Duration
		wantCode int
		want     string // a line of the Action's stdout; "" for no annotation
	}{
		{age: 12 * time.Hour},
		{age: 12*time.Hour + time.Second, want: warning},
		{age: 24 * time.Hour, want: strings.Replace(warning, "12h ago", "1d ago", 1)},
		{age: 24*time.Hour + time.Second, wantCode: 1, want: failure},
	}
	for _, tc := range tests {
		now := []string{testNowEnv + "=" + set.Add(tc.age).Format(time.RFC3339)}
		before := f.readOutput(t, baked.DefaultName)

		r := newRunner(t, f, map[string]string{"verify": "false"})
		got := f.run(t, append(r.env, now...))
		out := normalize(f, got.stdout)
		annotated := strings.Contains(out, "::warning") || strings.Contains(out, "::error")
		if got.code != tc.wantCode || annotated != (tc.want != "") || !strings.Contains(out, tc.want) {
			t.Errorf("age %v, Action: exit %d, want %d and %q\nstdout:\n%s", tc.age, got.code, tc.wantCode, tc.want, out)
		}
		if tc.want != "" && !strings.Contains(normalize(f, unescapeMarkdown(r.read(t, "summary"))), tc.want[strings.Index(tc.want, "::"+spec)+2:]) {
			t.Errorf("age %v: the summary does not list the annotation:\n%s", tc.age, r.read(t, "summary"))
		}

		cli := f.run(t, now, "--verify=false")
		cliWant := ""
		if tc.want != "" {
			level := "warning: "
			if tc.wantCode != 0 {
				level = ""
			}
			cliWant = "secret-baker: " + level + tc.want[strings.Index(tc.want, "::"+spec)+2:]
		}
		if cli.code != tc.wantCode || !strings.Contains(normalize(f, cli.stderr), cliWant) || (cliWant == "") != (cli.stderr == "") {
			t.Errorf("age %v, CLI: exit %d, want %d and %q\nstderr:\n%s", tc.age, cli.code, tc.wantCode, cliWant, cli.stderr)
		}
		if after := f.readOutput(t, baked.DefaultName); string(after) != string(before) {
			t.Errorf("age %v: the baked file changed", tc.age)
		}
	}
}

// TestDeployDiff bakes over a previous baked file: the summary shows what the
// deploy changes, and a previous file that is not a baked file is ignored
// with a note, and replaced.
func TestDeployDiff(t *testing.T) {
	t.Parallel()
	const spec = ".github/secret-baker.yml"
	f := newFixture(t)
	a, b := f.put(t, "/a", "a1"), f.put(t, "/b", "b1")
	writeFiles(t, f.workspace, map[string]string{spec: "secrets:\n  A: " + a + "\n  B: " + b + "\n  D: " + f.put(t, "/d", "d1") + "\n"})
	bake := func() (result, string) {
		r := newRunner(t, f, map[string]string{"verify": "false"})
		got := f.run(t, r.env)
		if got.code != 0 {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr)
		}
		return got, normalize(f, r.read(t, "summary"))
	}
	if _, summary := bake(); strings.Contains(summary, "What this deploy changes") {
		t.Errorf("the first bake compares with a file:\n%s", summary)
	}

	f.put(t, "/a", "a2")
	writeFiles(t, f.workspace, map[string]string{spec: "secrets:\n  A: " + a + "\n  B: " + b + "\n  C: " + f.put(t, "/c", "c1") + "\n"})
	calls := f.proxy.CallsTotal()
	_, summary := bake()
	checkGolden(t, "deploy-diff.emulator.summary.md", summary)
	if got := f.proxy.CallsTotal()["ssm:GetParameters"] - calls["ssm:GetParameters"]; got != 1 || len(f.proxy.CallsTotal()) != 1 {
		t.Errorf("the bake made %d GetParameters calls and %v in all, want 1 and nothing else", got, f.proxy.CallsTotal())
	}

	writeFiles(t, f.workspace, map[string]string{baked.DefaultName: `{"A": {"arn": "arn:aws:ssm:us-east-1:1:parameter/a", "ciphertext": "AQ==", "version": "9"}}`})
	_, summary = bake()
	if !strings.Contains(unescapeMarkdown(summary), "The previous secret-baker-secrets.json is not a valid baked file (malformed baked file: entry \"A\": version is not a number at byte 86); it was ignored, and nothing is compared with it.") {
		t.Errorf("summary:\n%s", summary)
	}
	if file := f.readBaked(t); len(file) != 3 {
		t.Errorf("the invalid file was not replaced: %+v", file)
	}
}
