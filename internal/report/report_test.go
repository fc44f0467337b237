package report

import (
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/spec"
	"github.com/org/secret-baker/verify"
)

func TestReportSuccess(t *testing.T) {
	t.Parallel()
	file := baked.File{"B": {ARN: "arn:b", Ciphertext: "AQID"}, "A": {ARN: "arn:a", Ciphertext: "AQID"}}
	data, err := file.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := &Baked{Checked: true, Path: "s.json", Data: data, File: file, Results: []verify.Result{{Name: "A", Parameter: "/a", Version: 1, Checks: []string{"decrypt"}}}}
	digest := baked.Digest(data)

	stdout, stderr, outputs, summary, final := reportOnce(t, true, out, nil)
	if final != nil || stderr != "" {
		t.Fatalf("report() = %v, stderr %q", final, stderr)
	}
	if want := "2 secret(s) in s.json (" + digest + ")\n"; stdout != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	for _, want := range []string{"\ns.json\n", "\n" + digest + "\n", "\n2\n", "\n[\"A\",\"B\"]\n"} {
		if !strings.Contains(outputs, want) {
			t.Errorf("outputs lack %q:\n%s", want, outputs)
		}
	}
	if !strings.Contains(summary, `1 secret(s) in s\.json.`) || !strings.Contains(summary, "| `A` | `/a` | 1 | - | - | `-` | decrypt | ✅ passed |") {
		t.Errorf("summary:\n%s", summary)
	}

	stdout, _, outputs, summary, final = reportOnce(t, false, out, nil)
	if final != nil || outputs != "" || summary != "" || !strings.HasPrefix(stdout, "2 secret(s) in s.json") {
		t.Errorf("outside GitHub Actions: %v, stdout %q, outputs %q, summary %q", final, stdout, outputs, summary)
	}
}

// TestReportArtifact names the baked file inside the artifact on stdout and
// in the summary, and the artifact in the file output.
func TestReportArtifact(t *testing.T) {
	t.Parallel()
	file := baked.File{"A": {ARN: "arn:a", Ciphertext: "AQID"}}
	data, err := file.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := &Baked{Checked: true, Path: "app.zip", Inside: "s.json", Data: data, File: file, Results: []verify.Result{{Name: "A", Parameter: "/a", Version: 1, Checks: []string{"decrypt"}}}}
	stdout, _, outputs, summary, final := reportOnce(t, true, out, nil)
	if want := "1 secret(s) in app.zip!s.json (" + baked.Digest(data) + ")\n"; final != nil || stdout != want {
		t.Errorf("report() = %v, stdout %q, want %q", final, stdout, want)
	}
	if !strings.Contains(outputs, "file<<") || !strings.Contains(outputs, "\napp.zip\n") {
		t.Errorf("the file output is not the artifact:\n%s", outputs)
	}
	if !strings.Contains(summary, `1 secret(s) in app\.zip\!s\.json.`) {
		t.Errorf("summary:\n%s", summary)
	}
}

func TestReportFailure(t *testing.T) {
	t.Parallel()
	fs := Findings{
		{Kind: KindCannotBake, Secret: "A", Location: spec.Location{File: "/ws/spec.yml", Line: 2, Column: 3}, Detail: "secret \"A\": not found"},
		{Kind: KindFailed, Detail: "50% | <b>"},
	}
	out := &Baked{Checked: true, Results: []verify.Result{{Name: "B", Parameter: "/b", Version: 1, Checks: []string{"decrypt"}, Findings: []verify.Finding{{Check: "decrypt", Message: "m"}}}}}

	stdout, stderr, outputs, summary, final := reportOnce(t, true, out, fs)
	if final == nil {
		t.Fatalf("report() = %v, want the run's error", final)
	}
	wantStdout := "::error col=3,file=spec.yml,line=2,title=Cannot bake A::spec.yml:2:3: secret \"A\": not found\n" +
		"::error title=secret-baker failed::50%25 | <b>\n"
	if stdout != wantStdout {
		t.Errorf("stdout =\n%s\nwant\n%s", stdout, wantStdout)
	}
	if stderr != "secret-baker: 2 problems found\n" || outputs != "" {
		t.Errorf("stderr %q, outputs %q", stderr, outputs)
	}
	wantSummary := []string{"**Failed: no file was written.** 1 of 1 secret(s)", "| `B` | `/b` | 1 | - | - | `-` | decrypt | ❌ decrypt |", "### 2 problem(s)", `- 50\% \| \<b\>`}
	for _, want := range wantSummary {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}

	stdout, stderr, _, summary, _ = reportOnce(t, false, nil, fs)
	if stdout != "" || summary != "" || stderr != "secret-baker: spec.yml:2:3: secret \"A\": not found\nsecret-baker: 50% | <b>\nsecret-baker: 2 problems found\n" {
		t.Errorf("outside GitHub Actions: stdout %q, stderr %q, summary %q", stdout, stderr, summary)
	}
}

// TestReportOutputsFailure fails a run whose outputs cannot be written.
func TestReportOutputsFailure(t *testing.T) {
	t.Parallel()
	var so, se strings.Builder
	out := &Baked{Path: "s.json", Data: []byte("{}\n"), File: baked.File{}}
	rep := New(Options{GitHubActions: true, Workspace: ".", Getenv: env(nil), Stdout: &so, Stderr: &se})
	err := rep.Report(out, rep.Open())
	if err == nil || !strings.Contains(so.String(), "::error title=secret-baker failed::failed to set outputs: GITHUB_OUTPUT is not set") {
		t.Errorf("report() = %v, stdout %q", err, so.String())
	}
}
