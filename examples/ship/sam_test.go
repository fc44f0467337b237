package ship_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestSAMMakefile runs what `sam build` runs for a function with
// BuildMethod: makefile (the SAM CLI itself is not available here): the
// Makefile target build-<LogicalId> in a copy of CodeUri, with ARTIFACTS_DIR
// set, and checks that the artifacts hold the bundle and the baked file, the
// directory with secret-baker verify.
func TestSAMMakefile(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	makeBin := testbed.Program(t, "make")

	app := t.TempDir()
	copyFiles(t, "sam", app, "template.yaml", "functions/api/Makefile", "functions/api/app.mjs", "functions/api/package.json", "functions/api/package-lock.json")
	functions := makefileFunctions(t, filepath.Join(app, "template.yaml"))
	if len(functions) == 0 {
		t.Fatal("template.yaml has no function with BuildMethod: makefile")
	}
	steps := newStepRunner(t, emu.Proxy(t))
	secrets := inlineSecrets(t, emu, map[string]string{"API_KEY": "api-këy"})

	for logicalID, codeURI := range functions {
		tools := npmTools(t, filepath.Join("sam", codeURI))
		outputs := steps.run(t, app, map[string]string{"secrets": secrets, "output": filepath.Join(codeURI, baked.DefaultName)})

		// As sam build does: a scratch copy of CodeUri (with the function's
		// node_modules), and ARTIFACTS_DIR for the files to zip, the
		// function's directory in .aws-sam/build.
		scratch, build := t.TempDir(), ".aws-sam/build/"+logicalID
		artifacts := filepath.Join(app, filepath.FromSlash(build))
		if err := os.MkdirAll(artifacts, 0o755); err != nil {
			t.Fatal(err)
		}
		entries, err := os.ReadDir(filepath.Join(app, codeURI))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			copyFiles(t, filepath.Join(app, codeURI), scratch, e.Name())
		}
		if err := os.Symlink(filepath.Join(tools, "node_modules"), filepath.Join(scratch, "node_modules")); err != nil {
			t.Fatal(err)
		}
		runTool(t, scratch, append(toolEnv(t), "ARTIFACTS_DIR="+artifacts), makeBin, "build-"+logicalID)

		if _, err := os.Stat(filepath.Join(artifacts, "app.mjs")); err != nil {
			t.Errorf("%s: no bundle in the artifacts: %v", logicalID, err)
		}
		if got := fileDigest(t, filepath.Join(artifacts, baked.DefaultName)); got != outputs["digest"] {
			t.Errorf("%s: the artifacts' %s has digest %s, the step output %s", logicalID, baked.DefaultName, got, outputs["digest"])
		}
		steps.verifyArtifact(t, app, build, outputs["digest"], "--secrets", secrets)
	}
}

// makefileFunctions returns the CodeUri of every AWS::Serverless::Function
// in the SAM template at path that builds with BuildMethod: makefile, by
// logical id.
func makefileFunctions(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var template struct {
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				CodeURI string `yaml:"CodeUri"`
			} `yaml:"Properties"`
			Metadata struct {
				BuildMethod string `yaml:"BuildMethod"`
			} `yaml:"Metadata"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(data, &template); err != nil {
		t.Fatal(err)
	}
	functions := map[string]string{}
	for id, r := range template.Resources {
		if r.Type == "AWS::Serverless::Function" && r.Metadata.BuildMethod == "makefile" {
			functions[id] = strings.TrimSuffix(r.Properties.CodeURI, "/")
		}
	}
	return functions
}
