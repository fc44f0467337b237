package ship_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// snippet is a fenced block of README.md marked <!-- snippet: FILE -->: FILE,
// relative to the repository root, must hold the block's text as it is.
var snippet = regexp.MustCompile("(?s)<!-- snippet: (\\S+) -->\n```[a-z]*\n(.*?)```")

// TestReadmeSnippets keeps the README's tested snippets equal to the files the
// tests run, and every tested file shown in the README.
func TestReadmeSnippets(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	for _, m := range snippet.FindAllStringSubmatch(string(readme), -1) {
		file, block := m[1], m[2]
		shown[file] = true
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			t.Errorf("README snippet of %s: %v", file, err)
			continue
		}
		if !strings.Contains(string(data), block) {
			t.Errorf("README snippet of %s is not in the file; the file:\n%s\nthe snippet:\n%s", file, data, block)
		}
	}
	for _, file := range []string{
		"examples/ship/serverless/serverless.yml",
		"examples/ship/sam/template.yaml",
		"examples/ship/sam/functions/api/Makefile",
		"examples/ship/cdk/app.ts",
		"examples/ship/zip/package.sh",
	} {
		if !shown[file] {
			t.Errorf("README.md shows no snippet of %s, which the tests run", file)
		}
	}
}
