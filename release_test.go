package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestReleaseTagsRefusesOtherTags: a release published for the movable major
// tag or an image tag fails before anything is pushed (RELEASING.md).
func TestReleaseTagsRefusesOtherTags(t *testing.T) {
	t.Parallel()
	script, err := filepath.Abs(".github/scripts/release-tags.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range []string{"v1", "v1.2.3-image", "1.2.3", "v1.2", "v1.2.3-rc.1"} {
		t.Run(tag, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command("bash", script, tag)
			cmd.Dir = t.TempDir() // no repository: nothing could be pushed
			out, err := cmd.CombinedOutput()
			if err == nil || !strings.Contains(string(out), "is not of the form vX.Y.Z") {
				t.Errorf("release-tags.sh %s: %v\n%s\nwant a refusal of the tag", tag, err, out)
			}
		})
	}
}
