package ship_test

import (
	"path/filepath"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestPlainZip bakes into src/ and runs zip/package.sh, the README's plain
// zip snippet: the baked file is at the root of function.zip, which
// secret-baker verify checks.
func TestPlainZip(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	bash := testbed.Program(t, "bash")
	testbed.Program(t, "zip")

	project := t.TempDir()
	copyFiles(t, "zip", project, "package.sh")
	copyFiles(t, "cdk/functions/api", filepath.Join(project, "src"), "handler.py")
	secrets := inlineSecrets(t, emu, map[string]string{"API_KEY": "api-këy"})
	steps := newStepRunner(t, emu.Proxy(t))
	outputs := steps.run(t, project, map[string]string{"secrets": secrets, "output": "src/" + baked.DefaultName})

	runTool(t, project, toolEnv(t), bash, "package.sh")

	files := zipEntries(t, filepath.Join(project, "function.zip"))
	if _, ok := files["handler.py"]; !ok {
		t.Errorf("function.zip has no handler.py at its root")
	}
	data, ok := files[baked.DefaultName]
	if !ok {
		t.Fatalf("function.zip has no %s at its root", baked.DefaultName)
	}
	if got := digest(data); got != outputs["digest"] {
		t.Errorf("function.zip's %s has digest %s, the step output %s", baked.DefaultName, got, outputs["digest"])
	}
	steps.verifyArtifact(t, project, "function.zip", outputs["digest"], "--secrets", secrets)
}
