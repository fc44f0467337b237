package ship_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/org/secret-baker/baked"
	"github.com/org/secret-baker/internal/testing/testbed"
)

// TestCDKSynth bakes into the code directory of each function of the CDK app
// in cdk/, runs `cdk synth`, and checks that both Lambda assets in cdk.out
// hold the baked file: the Code.fromAsset directory, and the NodejsFunction
// bundle that commandHooks.afterBundling copied it into; secret-baker verify
// checks each asset directory.
func TestCDKSynth(t *testing.T) {
	t.Parallel()
	emu := testbed.Shared(t)
	tools := npmTools(t, "cdk")
	node := testbed.Program(t, "node")

	app := t.TempDir()
	copyFiles(t, "cdk", app, "app.ts", "tsconfig.json", "cdk.json", "package.json", "package-lock.json",
		"functions/api/handler.py", "functions/web/index.mjs")
	modules := filepath.Join(tools, "node_modules")
	if err := os.Symlink(modules, filepath.Join(app, "node_modules")); err != nil {
		t.Fatal(err)
	}

	steps := newStepRunner(t, emu.Proxy(t))
	secrets := inlineSecrets(t, emu, map[string]string{"API_KEY": "api-këy"})
	want := map[string]string{} // construct path -> digest of its baked file
	for construct, dir := range map[string]string{"ShipStack/ApiFunction/Resource": "functions/api", "ShipStack/WebFunction/Resource": "functions/web"} {
		outputs := steps.run(t, app, map[string]string{"secrets": secrets, "output": dir + "/" + baked.DefaultName})
		want[construct] = outputs["digest"]
	}

	env := toolEnv(t, filepath.Join(modules, ".bin"))
	runTool(t, app, env, node, filepath.Join(modules, "typescript", "bin", "tsc"), "-p", ".")
	runTool(t, app, env, node, filepath.Join(modules, "aws-cdk", "bin", "cdk"), "synth", "--no-notices", "--quiet", "--output", "cdk.out")

	assets := lambdaAssets(t, filepath.Join(app, "cdk.out", "ShipStack.template.json"))
	for construct, wantDigest := range want {
		dir, ok := assets[construct]
		if !ok {
			t.Errorf("the template has no Lambda function %s with an asset (functions: %v)", construct, assets)
			continue
		}
		if got := fileDigest(t, filepath.Join(app, "cdk.out", dir, baked.DefaultName)); got != wantDigest {
			t.Errorf("%s: the asset's %s has digest %s, the step output %s", construct, baked.DefaultName, got, wantDigest)
		}
		steps.verifyArtifact(t, app, "cdk.out/"+dir, wantDigest, "--secrets", secrets)
	}
}

// lambdaAssets maps the construct path of each Lambda function in the
// CloudFormation template at path to its asset directory in cdk.out.
func lambdaAssets(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var template struct {
		Resources map[string]struct {
			Type     string         `json:"Type"`
			Metadata map[string]any `json:"Metadata"`
		} `json:"Resources"`
	}
	if err := json.Unmarshal(data, &template); err != nil {
		t.Fatal(err)
	}
	assets := map[string]string{}
	for _, r := range template.Resources {
		construct, _ := r.Metadata["aws:cdk:path"].(string)
		asset, _ := r.Metadata["aws:asset:path"].(string)
		if r.Type == "AWS::Lambda::Function" && asset != "" {
			assets[construct] = asset
		}
	}
	return assets
}
