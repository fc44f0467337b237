package cli

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/org/secret-baker/baked"
)

// driftSpec declares one secret per way drift can go, at lines 2 to 7.
const driftSpec = "secrets:\n" +
	"  CURRENT: PREFIX/current\n" +
	"  ROTATED: PREFIX/rotated\n" +
	"  PINNED: PREFIX/pinned:1\n" +
	"  LABEL: PREFIX/label:live\n" +
	"  DELETED: PREFIX/deleted\n" +
	"  STRING: PREFIX/string\n"

// bakeForDrift seeds the parameters of driftSpec, bakes them into the
// default output and returns the fixture.
func bakeForDrift(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := newFixture(t)
	for _, name := range []string{"/current", "/rotated", "/pinned", "/label", "/deleted", "/string"} {
		f.put(t, name, "v1 of "+name)
	}
	f.put(t, "/pinned", "v2 of /pinned")
	if err := f.seeder.LabelVersion(ctx, f.prefix+"/label", 1, "live"); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": strings.ReplaceAll(driftSpec, "PREFIX", f.prefix)})
	f.mustRun(t, nil, "--verify=false")
	return f
}

// driftChanges change SSM after the bake.
var driftChanges = map[string]func(t *testing.T, f *fixture){
	"new version": func(t *testing.T, f *fixture) {
		f.put(t, "/rotated", "v2")
		f.put(t, "/pinned", "v3") // newer than the pin: not drift
	},
	"label moved": func(t *testing.T, f *fixture) {
		f.put(t, "/label", "v2")
		if err := f.seeder.LabelVersion(context.Background(), f.prefix+"/label", 2, "live"); err != nil {
			t.Fatal(err)
		}
	},
	"deleted": func(t *testing.T, f *fixture) {
		if err := f.seeder.Delete(context.Background(), f.prefix+"/deleted"); err != nil {
			t.Fatal(err)
		}
	},
	"turned into a String": func(t *testing.T, f *fixture) {
		if err := f.seeder.PutString(context.Background(), f.prefix+"/string", "plain now"); err != nil {
			t.Fatal(err)
		}
	},
}

// runDriftCommand runs drift on the default output as an Action or a CLI,
// and returns the result, the step outputs and summary (Action only) and
// the calls the run made.
func runDriftCommand(t *testing.T, f *fixture, action bool, extra map[string]string) (got result, outputs, summary string, calls map[string]int) {
	t.Helper()
	before := f.proxy.CallsTotal()
	if action {
		with := map[string]string{"command": "drift", "file": baked.DefaultName}
		maps.Copy(with, extra)
		r := newRunner(t, f, with)
		got = f.run(t, r.env)
		outputs, summary = r.read(t, "output"), r.read(t, "summary")
	} else {
		args := []string{"drift", "--file", baked.DefaultName}
		for k, v := range extra {
			args = append(args, "--"+k+"="+v)
		}
		got = f.run(t, nil, args...)
	}
	calls = f.proxy.CallsTotal()
	for op, n := range before {
		if calls[op] -= n; calls[op] == 0 {
			delete(calls, op)
		}
	}
	return got, outputs, summary, calls
}

func TestDriftCommand(t *testing.T) {
	t.Parallel()
	const spec = ".github/secret-baker.yml"
	tests := []struct {
		name     string
		change   string // a key of driftChanges, "" for none
		extra    map[string]string
		wantCode int
		stale    []string
		// want are lines of the Action's stdout, wantCLI of the CLI's stderr, wantRow of the summary.
		want, wantCLI []string
		wantRow       string
	}{
		{
			name:    "nothing changed",
			want:    []string{"no secret in secret-baker-secrets.json is stale (6 secret(s))"},
			wantRow: "| `CURRENT` | `/PREFIX/current` | 1 → 1 | DATE | <1h | ✅ current |",
		},
		{
			name:    "new version",
			change:  "new version",
			stale:   []string{"ROTATED"},
			want:    []string{"::warning col=3,file=" + spec + ",line=3,title=Secret ROTATED is stale::" + spec + ":3:3: secret \"ROTATED\" (parameter \"/PREFIX/rotated\"): the baked file ships version 1; SSM's current version is 2, set DATE; deploy again to ship it", "1 of 6 secret(s) in secret-baker-secrets.json are stale: \"ROTATED\""},
			wantCLI: []string{"secret-baker: warning: " + spec + ":3:3: secret \"ROTATED\" (parameter \"/PREFIX/rotated\"): the baked file ships version 1; SSM's current version is 2"},
			wantRow: "| `PINNED` | `/PREFIX/pinned:1` | 1 → 3 | DATE | <1h | 📌 pinned; newer versions exist |",
		},
		{
			name:    "label moved",
			change:  "label moved",
			stale:   []string{"LABEL"},
			want:    []string{"::warning col=3,file=" + spec + ",line=5,title=Secret LABEL is stale::" + spec + ":5:3: secret \"LABEL\" (parameter \"/PREFIX/label:live\"): the baked file ships version 1; label \"live\" now points at version 2, set DATE; deploy again to ship it"},
			wantCLI: []string{"secret-baker: warning: " + spec + ":5:3: secret \"LABEL\""},
			wantRow: "| `LABEL` | `/PREFIX/label:live` | 1 → 2 | DATE | <1h | ⚠️ stale: label live moved |",
		},
		{
			name:     "deleted",
			change:   "deleted",
			wantCode: 1,
			want:     []string{"::error col=3,file=" + spec + ",line=6,title=Cannot check DELETED::" + spec + ":6:3: secret \"DELETED\" (parameter \"/PREFIX/deleted\"): parameter or version not found"},
			wantCLI:  []string{"secret-baker: " + spec + ":6:3: secret \"DELETED\" (parameter \"/PREFIX/deleted\"): parameter or version not found"},
			wantRow:  "| `DELETED` | `/PREFIX/deleted` | 1 → - | - | <1h | ❌ parameter or version not found |",
		},
		{
			name:     "turned into a String",
			change:   "turned into a String",
			wantCode: 1,
			want:     []string{"::error col=3,file=" + spec + ",line=7,title=Cannot check STRING::" + spec + ":7:3: secret \"STRING\" (parameter \"/PREFIX/string\"): not a SecureString: it is a String parameter"},
			wantCLI:  []string{"secret-baker: " + spec + ":7:3: secret \"STRING\" (parameter \"/PREFIX/string\"): not a SecureString"},
			wantRow:  "| `STRING` | `/PREFIX/string` | 1 → - | - | <1h | ❌ not a SecureString: it is a String parameter",
		},
		{
			name:     "spec declares another secret",
			change:   "spec declares another secret",
			wantCode: 1,
			want:     []string{"::error col=3,file=" + spec + ",line=8,title=Secret missing from the baked file::" + spec + ":8:3: secret \"ADDED\" is declared but not in the baked file"},
			wantCLI:  []string{"secret-baker: " + spec + ":8:3: secret \"ADDED\" is declared but not in the baked file"},
			wantRow:  "| `CURRENT` | `/PREFIX/current` | 1 → 1 | DATE | <1h | ✅ current |",
		},
		{
			name:     "fail on drift",
			change:   "new version",
			extra:    map[string]string{"fail-on-drift": "true"},
			wantCode: 1,
			stale:    []string{"ROTATED"},
			want:     []string{"::error title=Stale secrets::1 secret(s) in secret-baker-secrets.json are stale and fail-on-drift is true: \"ROTATED\""},
			wantCLI:  []string{"secret-baker: 1 secret(s) in secret-baker-secrets.json are stale and fail-on-drift is true: \"ROTATED\""},
			wantRow:  "| `ROTATED` | `/PREFIX/rotated` | 1 → 2 | DATE | <1h | ⚠️ stale |",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := bakeForDrift(t)
			switch tc.change {
			case "":
			case "spec declares another secret":
				writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": strings.ReplaceAll(driftSpec, "PREFIX", f.prefix) + "  ADDED: " + f.put(t, "/added", "v") + "\n"})
			default:
				driftChanges[tc.change](t, f)
			}
			for _, action := range []bool{true, false} {
				got, outputs, summary, calls := runDriftCommand(t, f, action, tc.extra)
				mode, out := "CLI", normalize(f, got.stderr+got.stdout)
				if action {
					mode, out = "Action", normalize(f, got.stdout)
				}
				if got.code != tc.wantCode {
					t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", mode, got.code, tc.wantCode, got.stdout, got.stderr)
				}
				want := tc.want
				if !action {
					want = tc.wantCLI
				}
				for _, line := range want {
					if !strings.Contains(out, line) {
						t.Errorf("%s: output lacks\n%s\ngot:\n%s", mode, line, out)
					}
				}
				if want := map[string]int{"ssm:GetParameters": 1}; !maps.Equal(calls, want) {
					t.Errorf("%s: calls %v, want %v", mode, calls, want)
				}
				if !action {
					continue
				}
				names := "[]"
				if tc.stale != nil {
					names = `["` + strings.Join(tc.stale, `","`) + `"]`
				}
				for _, o := range []string{fmt.Sprintf("\n%v\n", tc.stale != nil), "\n" + names + "\n", "\n6\n"} {
					if !strings.Contains(normalize(f, outputs), o) {
						t.Errorf("outputs lack %q:\n%s", o, outputs)
					}
				}
				if !strings.Contains(normalize(f, unescapeMarkdown(summary)), tc.wantRow) {
					t.Errorf("summary lacks\n%s\ngot:\n%s", tc.wantRow, normalize(f, summary))
				}
			}
		})
	}
}

// TestDriftGolden checks the Action's stdout and summary when SSM changed in
// every way after the bake.
func TestDriftGolden(t *testing.T) {
	t.Parallel()
	f := bakeForDrift(t)
	for _, change := range driftChanges {
		change(t, f)
	}
	got, _, summary, _ := runDriftCommand(t, f, true, nil)
	if got.code != 1 {
		t.Errorf("exit %d, want 1: a deleted parameter and a String are problems", got.code)
	}
	checkGolden(t, "drift.stdout", normalize(f, got.stdout))
	checkGolden(t, "drift.emulator.summary.md", normalize(f, summary))
}

// TestDriftCallCount checks that drift of N secrets costs ⌈N/10⌉
// GetParameters calls and nothing else, with label pins asked for in the
// same calls as their parameters.
func TestDriftCallCount(t *testing.T) {
	t.Parallel()
	for _, n := range []int{10, 25} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			var spec strings.Builder
			spec.WriteString("secrets:\n")
			for i := range n {
				param := f.put(t, fmt.Sprintf("/p%02d", i), "v")
				if i%5 == 4 { // a label pin of the previous secret's parameter
					if err := f.seeder.LabelVersion(context.Background(), f.prefix+fmt.Sprintf("/p%02d", i-1), 1, "live"); err != nil {
						t.Fatal(err)
					}
					param = f.prefix + fmt.Sprintf("/p%02d:live", i-1)
				}
				fmt.Fprintf(&spec, "  S%02d: %s\n", i, param)
			}
			writeFiles(t, f.workspace, map[string]string{".github/secret-baker.yml": spec.String()})
			f.mustRun(t, nil, "--verify=false")
			got, _, _, calls := runDriftCommand(t, f, false, nil)
			if got.code != 0 {
				t.Fatalf("exit %d\n%s", got.code, got.stderr)
			}
			if want := map[string]int{"ssm:GetParameters": (n + 9) / 10}; !maps.Equal(calls, want) {
				t.Errorf("calls %v, want %v", calls, want)
			}
		})
	}
}
