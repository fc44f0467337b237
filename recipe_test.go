package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// pinnedAction is how the README's recipe names secret-baker where the
// fixture, which actionlint checks against action.yml, says `uses: ./`.
const pinnedAction = "uses: org/secret-baker@<commit of vX.Y.Z-image> # vX.Y.Z"

// TestReadmeDriftRecipe keeps the scheduled-drift workflow of README.md equal
// to testdata/workflows/drift.yml, but for its header comment and the pin.
func TestReadmeDriftRecipe(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- recipe: testdata/workflows/drift.yml -->\n```yaml\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md shows no recipe of testdata/workflows/drift.yml")
	}
	fixture, err := os.ReadFile("testdata/workflows/drift.yml")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(fixture), "\n")
	for len(lines) > 0 && strings.HasPrefix(lines[0], "#") {
		lines = lines[1:]
	}
	want := strings.Join(lines, "")
	if strings.Count(want, "uses: ./\n") != 1 {
		t.Fatalf("the fixture should use ./ once:\n%s", want)
	}
	want = strings.Replace(want, "uses: ./\n", pinnedAction+"\n", 1)
	if got := string(m[1]); got != want {
		t.Errorf("README's recipe differs from the fixture; README:\n%s\nwant:\n%s", got, want)
	}
}
