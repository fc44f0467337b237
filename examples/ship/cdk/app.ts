// A CDK app with two functions that ship the baked file, one per way CDK
// packages Lambda code. The secret-baker step writes the baked file into each
// function's code directory before `cdk synth` (output:
// functions/api/secret-baker-secrets.json and
// functions/web/secret-baker-secrets.json). Tested by
// examples/ship/cdk_test.go, which checks both asset directories in cdk.out.
import * as path from "node:path";
import { App, Stack } from "aws-cdk-lib";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";

const app = new App();
const stack = new Stack(app, "ShipStack");

// Code.fromAsset takes the whole directory, the baked file included.
new lambda.Function(stack, "ApiFunction", {
  runtime: lambda.Runtime.PYTHON_3_12,
  handler: "handler.handler",
  code: lambda.Code.fromAsset(path.join(__dirname, "functions/api")),
});

// NodejsFunction bundles the entry with esbuild and keeps nothing else:
// afterBundling copies the baked file into the bundle. inputDir is the
// project root (the directory of the lock file), outputDir the asset.
new nodejs.NodejsFunction(stack, "WebFunction", {
  runtime: lambda.Runtime.NODEJS_22_X,
  entry: path.join(__dirname, "functions/web/index.mjs"),
  bundling: {
    commandHooks: {
      beforeBundling: () => [],
      beforeInstall: () => [],
      afterBundling: (inputDir: string, outputDir: string) => [
        `cp "${inputDir}/functions/web/secret-baker-secrets.json" "${outputDir}/"`,
      ],
    },
  },
});
