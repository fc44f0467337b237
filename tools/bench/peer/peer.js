// Bakes the benchmark's secrets with serverless-secret-baker 2.1.0, as `serverless package`
// would: the plugin's packageSecrets() through a minimal stand-in for the Serverless object,
// whose AWS provider sends each request with the AWS SDK v2 (what Serverless v3 uses) to
// AWS_ENDPOINT_URL. Usage: node peer.js COUNT; it writes secret-baker-secrets.json in its
// working directory, and names the parameters as tools/bench does.
"use strict";

const AWS = require("aws-sdk");
const SecretBaker = require("serverless-secret-baker");

const count = Number(process.argv[2]);
const names = Array.from({ length: count }, (_, i) => `/bench/secret-${String(i).padStart(4, "0")}`);

const clients = {};
const serverless = {
  service: { custom: { secretBaker: names }, package: {} },
  cli: { log() {} },
  classes: { Error },
  getProvider() {
    return {
      request(service, method, params) {
        clients[service] ??= new AWS[service]({ endpoint: process.env.AWS_ENDPOINT_URL, region: process.env.AWS_REGION });
        return clients[service][method](params).promise();
      },
    };
  },
};

new SecretBaker(serverless).packageSecrets().catch((err) => {
  console.error(err.message);
  process.exit(1);
});
