package drift

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/org/secret-baker/bake"
	"github.com/org/secret-baker/baked"
)

// fakeBaker answers Bake from SSM's state, a map of selector to entry or
// problem, and records what it was asked.
type fakeBaker struct {
	state map[string]any // baked.Entry or error
	err   error
	asked [][]bake.Secret
}

func (f *fakeBaker) Bake(_ context.Context, secrets []bake.Secret) (baked.File, error) {
	f.asked = append(f.asked, secrets)
	if f.err != nil {
		return nil, f.err
	}
	file := baked.File{}
	var problems bake.Problems
	for _, s := range secrets {
		switch v := f.state[s.Parameter].(type) {
		case baked.Entry:
			v.Parameter = s.Parameter
			file[s.Name] = v
		case error:
			problems = append(problems, &bake.Problem{Name: s.Name, Parameter: s.Parameter, Err: v})
		default:
			problems = append(problems, &bake.Problem{Name: s.Name, Parameter: s.Parameter, Err: bake.ErrNotFound})
		}
	}
	if problems != nil {
		return file, problems
	}
	return file, nil
}

var (
	day1 = time.Date(2026, 9, 1, 8, 0, 0, 0, time.UTC)
	day9 = time.Date(2026, 9, 9, 8, 0, 0, 0, time.UTC)
)

// version is entry v of a parameter, set on set.
func version(param string, v int64, set time.Time) baked.Entry {
	return baked.Entry{
		ARN:        "arn:aws:ssm:us-east-1:1:parameter" + param,
		Ciphertext: "AQ" + param + string(rune('0'+v)),
		Parameter:  param,
		Version:    v,
		Modified:   set,
	}
}

// pinned is e baked through selector.
func pinned(e baked.Entry, selector string) baked.Entry {
	e.Parameter = selector
	return e
}

func TestCheck(t *testing.T) {
	t.Parallel()
	file := baked.File{
		"CURRENT":     version("/current", 2, day1),
		"ROTATED":     version("/rotated", 1, day1),
		"PINNED_OLD":  pinned(version("/pinned", 3, day1), "/pinned:3"),
		"PINNED_LAST": pinned(version("/last", 1, day1), "/last:1"),
		"LABEL_MOVED": pinned(version("/label", 1, day1), "/label:live"),
		"LABEL_SAME":  pinned(version("/same", 4, day1), "/same:live"),
		"RECREATED":   version("/recreated", 1, day1),
		"DELETED":     version("/deleted", 1, day1),
		"STRING":      version("/string", 1, day1),
		"NO_DATE":     {ARN: "arn:aws:ssm:us-east-1:1:parameter/nodate", Ciphertext: "AQ/nodate1", Parameter: "/nodate", Version: 1},
		"PLUGIN":      {ARN: "arn:aws:ssm:us-east-1:1:parameter/plugin", Ciphertext: "AQp"},
	}
	recreated := version("/recreated", 1, day9)
	recreated.Ciphertext = "AQother"
	ssm := &fakeBaker{state: map[string]any{
		"/current":    version("/current", 2, day1),
		"/rotated":    version("/rotated", 2, day9),
		"/pinned":     version("/pinned", 5, day9),
		"/last":       version("/last", 1, day1),
		"/label:live": version("/label", 2, day9),
		"/same:live":  version("/same", 4, day1),
		"/recreated":  recreated,
		"/string":     bake.ErrNotSecureString,
		"/nodate":     version("/nodate", 1, day1),
	}}
	got, err := New(ssm).Check(context.Background(), file, recorded(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{
		{Name: "CURRENT", Parameter: "/current", Selector: baked.Selector{Name: "/current"}, Baked: 2, BakedSet: day1, Current: 2, CurrentSet: day1},
		{Name: "DELETED", Parameter: "/deleted", Selector: baked.Selector{Name: "/deleted"}, Baked: 1, BakedSet: day1, Problem: bake.ErrNotFound},
		{Name: "LABEL_MOVED", Parameter: "/label:live", Selector: baked.Selector{Name: "/label", Label: "live"}, Baked: 1, BakedSet: day1, Current: 2, CurrentSet: day9, Stale: true},
		{Name: "LABEL_SAME", Parameter: "/same:live", Selector: baked.Selector{Name: "/same", Label: "live"}, Baked: 4, BakedSet: day1, Current: 4, CurrentSet: day1},
		{Name: "NO_DATE", Parameter: "/nodate", Selector: baked.Selector{Name: "/nodate"}, Baked: 1, BakedSet: day1, Current: 1, CurrentSet: day1},
		{Name: "PINNED_LAST", Parameter: "/last:1", Selector: baked.Selector{Name: "/last", Version: 1}, Baked: 1, BakedSet: day1, Current: 1, CurrentSet: day1},
		{Name: "PINNED_OLD", Parameter: "/pinned:3", Selector: baked.Selector{Name: "/pinned", Version: 3}, Baked: 3, BakedSet: day1, Current: 5, CurrentSet: day9},
		{Name: "PLUGIN", Parameter: "/plugin", Problem: ErrNotRecorded},
		{Name: "RECREATED", Parameter: "/recreated", Selector: baked.Selector{Name: "/recreated"}, Baked: 1, BakedSet: day1, Current: 1, CurrentSet: day9, Stale: true},
		{Name: "ROTATED", Parameter: "/rotated", Selector: baked.Selector{Name: "/rotated"}, Baked: 1, BakedSet: day1, Current: 2, CurrentSet: day9, Stale: true},
		{Name: "STRING", Parameter: "/string", Selector: baked.Selector{Name: "/string"}, Baked: 1, BakedSet: day1, Problem: bake.ErrNotSecureString},
	}
	for i, r := range got {
		if wantARN := "arn:aws:ssm:us-east-1:1:parameter" + r.Selector.Name; r.Current != 0 && r.CurrentARN != wantARN {
			t.Errorf("%s: CurrentARN = %q, want %q", r.Name, r.CurrentARN, wantARN)
		}
		got[i].CurrentARN = ""
	}
	if !reflect.DeepEqual(got, want) {
		for i := range max(len(got), len(want)) {
			if i >= len(got) || i >= len(want) || !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("result %d:\n got %+v\nwant %+v", i, at(got, i), at(want, i))
			}
		}
	}
	newer := map[string]bool{}
	for _, r := range got {
		newer[r.Name] = r.Newer()
	}
	if want := map[string]bool{"PINNED_OLD": true}; !reflect.DeepEqual(trueKeys(newer), trueKeys(want)) {
		t.Errorf("Newer() is true for %v, want %v", trueKeys(newer), trueKeys(want))
	}

	if len(ssm.asked) != 1 {
		t.Fatalf("Bake called %d times, want 1", len(ssm.asked))
	}
	var asked []string
	for _, s := range ssm.asked[0] {
		asked = append(asked, s.Name+"="+s.Parameter)
	}
	wantAsked := []string{
		"CURRENT=/current", "DELETED=/deleted", "LABEL_MOVED=/label:live", "LABEL_SAME=/same:live", "NO_DATE=/nodate",
		"PINNED_LAST=/last", "PINNED_OLD=/pinned", "RECREATED=/recreated", "ROTATED=/rotated", "STRING=/string",
	}
	if !slices.Equal(asked, wantAsked) {
		t.Errorf("asked SSM for\n%q\nwant\n%q", asked, wantAsked)
	}
}

func TestCheckFailsWhenSSMFails(t *testing.T) {
	t.Parallel()
	unreachable := errors.New("connection refused")
	file := baked.File{"A": version("/a", 1, day1)}
	_, err := New(&fakeBaker{err: unreachable}).Check(context.Background(), file, recorded(file))
	if !errors.Is(err, unreachable) {
		t.Errorf("Check() error = %v, want it to wrap %v", err, unreachable)
	}
}

func TestCheckAsksNothingWithoutRecordedVersions(t *testing.T) {
	t.Parallel()
	ssm := &fakeBaker{}
	got, err := New(ssm).Check(context.Background(), baked.File{"A": {ARN: "arn:aws:ssm:us-east-1:1:parameter/a", Ciphertext: "AQ"}}, []bake.Secret{{Name: "A", Parameter: "/a"}})
	if err != nil || len(got) != 1 || !errors.Is(got[0].Problem, ErrNotRecorded) {
		t.Fatalf("Check() = %+v, %v; want one ErrNotRecorded problem", got, err)
	}
	if len(ssm.asked) != 0 {
		t.Errorf("Bake called %d times, want 0", len(ssm.asked))
	}
}

// recorded declares every secret of file as its parameter field records it,
// and a serverless-secret-baker entry by its ARN's name.
func recorded(file baked.File) []bake.Secret {
	var declared []bake.Secret
	for name, e := range file {
		param := e.Parameter
		if param == "" {
			_, param, _ = strings.Cut(e.ARN, ":parameter")
		}
		declared = append(declared, bake.Secret{Name: name, Parameter: param})
	}
	return declared
}

// TestCheckTrustsTheSpecNotTheFile: what the spec declares decides what
// current means, the file's ARN must be SSM's, and an entry the spec does
// not declare is neither read nor reported.
func TestCheckTrustsTheSpecNotTheFile(t *testing.T) {
	t.Parallel()
	foreign := version("/moved", 1, day1)
	foreign.ARN = "arn:aws-us-gov:ssm:us-gov-west-1:2:parameter/moved"
	file := baked.File{
		"PINNED_IN_FILE": pinned(version("/unpinned", 1, day1), "/unpinned:1"),
		"LABEL_IN_FILE":  pinned(version("/labelled", 1, day1), "/labelled:live"),
		"MOVED":          foreign,
		"UNDECLARED":     version("/undeclared", 1, day1),
	}
	ssm := &fakeBaker{state: map[string]any{
		"/unpinned": version("/unpinned", 3, day9),
		"/labelled": version("/labelled", 2, day9),
		"/moved":    version("/moved", 1, day1),
	}}
	declared := []bake.Secret{{Name: "PINNED_IN_FILE", Parameter: "/unpinned"}, {Name: "LABEL_IN_FILE", Parameter: "/labelled"}, {Name: "MOVED", Parameter: "/moved"}, {Name: "GONE_FROM_FILE", Parameter: "/gone"}}
	got, err := New(ssm).Check(context.Background(), file, declared)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Result{}
	for _, r := range got {
		byName[r.Name] = r
	}
	if len(got) != 3 || !byName["PINNED_IN_FILE"].Stale || !byName["LABEL_IN_FILE"].Stale || !errors.Is(byName["MOVED"].Problem, ErrOtherARN) {
		t.Errorf("Check() = %+v; want PINNED_IN_FILE and LABEL_IN_FILE stale, MOVED refused, nothing else", got)
	}
	for _, s := range ssm.asked[0] {
		if s.Name == "UNDECLARED" || s.Name == "GONE_FROM_FILE" || strings.Contains(s.Parameter, ":") {
			t.Errorf("asked SSM for %s=%s", s.Name, s.Parameter)
		}
	}
}

func at(rs []Result, i int) any {
	if i < len(rs) {
		return rs[i]
	}
	return "nothing"
}

func trueKeys(m map[string]bool) []string {
	var keys []string
	for k, v := range m {
		if v {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}
