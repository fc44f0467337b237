package ship_test

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// samBuilt is what `sam build` must leave in each function's build directory:
// the Makefile build of ApiFunction keeps the bundle and what the Makefile
// copies, the Python builder of WorkerFunction all of CodeUri (sorted, as
// os.ReadDir lists them).
var samBuilt = map[string][]string{
	"ApiFunction":    {"app.mjs", baked.DefaultName},
	"WorkerFunction": {"handler.py", baked.DefaultName},
}

// TestSAMBuild bakes into the CodeUri of each function of the SAM application
// in sam/, runs the SAM CLI's `sam build` offline, and checks each function's
// build directory in .aws-sam/build: it holds exactly the files of samBuilt,
// the baked file with the digest the step output, and secret-baker verify
// accepts the directory.
func TestSAMBuild(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	sam := venvTool(t, "SECRET_BAKER_SAM", "sam")
	testbed.Program(t, "make")

	app := t.TempDir()
	copyFiles(t, "sam", app, "template.yaml", "functions/api/Makefile", "functions/api/app.mjs",
		"functions/api/package.json", "functions/api/package-lock.json", "functions/worker/handler.py")
	functions := samFunctions(t, filepath.Join(app, "template.yaml"))
	if ids := slices.Sorted(maps.Keys(functions)); !slices.Equal(ids, slices.Sorted(maps.Keys(samBuilt))) {
		t.Fatalf("template.yaml has the functions %v, the test knows %v", ids, slices.Sorted(maps.Keys(samBuilt)))
	}
	// The Makefile's npx finds esbuild as after npm ci in CodeUri.
	tools := npmTools(t, filepath.Join("sam", functions["ApiFunction"]))
	if err := os.Symlink(filepath.Join(tools, "node_modules"), filepath.Join(app, functions["ApiFunction"], "node_modules")); err != nil {
		t.Fatal(err)
	}

	steps := newStepRunner(t, emu.Proxy(t))
	secrets := inlineSecrets(t, emu, map[string]string{"API_KEY": "api-këy"})
	digests := map[string]string{}
	for id, codeURI := range functions {
		outputs := steps.run(t, app, map[string]string{"secrets": secrets, "output": codeURI + "/" + baked.DefaultName})
		digests[id] = outputs["digest"]
	}

	runTool(t, app, toolEnv(t), sam, "build", "--template-file", "template.yaml")

	for id, digest := range digests {
		build := ".aws-sam/build/" + id
		entries, err := os.ReadDir(filepath.Join(app, filepath.FromSlash(build)))
		if err != nil {
			t.Fatal(err)
		}
		var files []string
		for _, e := range entries {
			files = append(files, e.Name())
		}
		if !slices.Equal(files, samBuilt[id]) {
			t.Errorf("%s holds %v, want %v", build, files, samBuilt[id])
		}
		if got := fileDigest(t, filepath.Join(app, filepath.FromSlash(build), baked.DefaultName)); got != digest {
			t.Errorf("%s: %s has digest %s, the step output %s", build, baked.DefaultName, got, digest)
		}
		steps.verifyArtifact(t, app, build, digest, "--secrets", secrets)
	}
}

// TestSAMTemplateLint runs cfn-lint on the SAM template, which it checks
// after applying the AWS::Serverless transform.
func TestSAMTemplateLint(t *testing.T) {
	t.Parallel()
	cfnLint := venvTool(t, "SECRET_BAKER_CFN_LINT", "cfn-lint")
	dir, err := filepath.Abs("sam")
	if err != nil {
		t.Fatal(err)
	}
	runTool(t, dir, toolEnv(t), cfnLint, "--", "template.yaml")
}

// venvTool returns the path of a Python tool that .ci/run installs into a
// virtual environment and names in the variable env (the environment stays
// off PATH); without the variable, name on PATH (testbed.Program: required on
// CI, skipped elsewhere).
func venvTool(t *testing.T, env, name string) string {
	t.Helper()
	if path := os.Getenv(env); path != "" {
		return path
	}
	return testbed.Program(t, name)
}

// samFunctions returns the CodeUri of every AWS::Serverless::Function in the
// SAM template at path, without its trailing slash, by logical id.
func samFunctions(t *testing.T, path string) map[string]string {
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
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(data, &template); err != nil {
		t.Fatal(err)
	}
	functions := map[string]string{}
	for id, r := range template.Resources {
		if r.Type == "AWS::Serverless::Function" {
			functions[id] = strings.TrimSuffix(r.Properties.CodeURI, "/")
		}
	}
	return functions
}
