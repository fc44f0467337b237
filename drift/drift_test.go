package drift

import (
	"context"
	"errors"
	"reflect"
	"slices"
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
	got, err := New(ssm).Check(context.Background(), file)
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
		{Name: "PLUGIN", Problem: ErrNotRecorded},
		{Name: "RECREATED", Parameter: "/recreated", Selector: baked.Selector{Name: "/recreated"}, Baked: 1, BakedSet: day1, Current: 1, CurrentSet: day9, Stale: true},
		{Name: "ROTATED", Parameter: "/rotated", Selector: baked.Selector{Name: "/rotated"}, Baked: 1, BakedSet: day1, Current: 2, CurrentSet: day9, Stale: true},
		{Name: "STRING", Parameter: "/string", Selector: baked.Selector{Name: "/string"}, Baked: 1, BakedSet: day1, Problem: bake.ErrNotSecureString},
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
	_, err := New(&fakeBaker{err: unreachable}).Check(context.Background(), baked.File{"A": version("/a", 1, day1)})
	if !errors.Is(err, unreachable) {
		t.Errorf("Check() error = %v, want it to wrap %v", err, unreachable)
	}
}

func TestCheckAsksNothingWithoutRecordedVersions(t *testing.T) {
	t.Parallel()
	ssm := &fakeBaker{}
	got, err := New(ssm).Check(context.Background(), baked.File{"A": {ARN: "arn:aws:ssm:us-east-1:1:parameter/a", Ciphertext: "AQ"}})
	if err != nil || len(got) != 1 || !errors.Is(got[0].Problem, ErrNotRecorded) {
		t.Fatalf("Check() = %+v, %v; want one ErrNotRecorded problem", got, err)
	}
	if len(ssm.asked) != 0 {
		t.Errorf("Bake called %d times, want 0", len(ssm.asked))
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
