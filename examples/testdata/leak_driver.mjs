// Leak test driver: node leak_driver.mjs READER_DIR
//
// Reads the baked file in $LAMBDA_TASK_ROOT with the package in READER_DIR,
// through the default client and through a client that logs everything to
// stderr: decryptAll, then get of every name. It prints "ok NAME" or
// "error NAME" for each lookup of the default client and every form of every
// error (message, stack, util.inspect) and of the reader objects, which the
// test searches for plaintexts.

import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { inspect } from "node:util";

const index = resolve(process.argv[2], "index.js");
const reader = await import(pathToFileURL(index).href);
// The SDK the package itself uses.
const { KMSClient } = await import(pathToFileURL(createRequire(index).resolve("@aws-sdk/client-kms")).href);

const log = (...args) => console.error(...args.map((a) => (typeof a === "string" ? a : inspect(a, { depth: 8, showHidden: true }))));
const logger = { trace: log, debug: log, info: log, warn: log, error: log };
const show = (err) => log(String(err), err.stack ?? "", err);

const logged = reader.open(reader.defaultPath(), { client: new KMSClient({ logger }) });
for (const secrets of [reader, logged]) {
  await secrets.decryptAll().catch(show);
}
for (const name of logged.names) {
  for (const [secrets, quiet] of [[reader, false], [logged, true]]) {
    try {
      await secrets.get(name);
      if (!quiet) console.log("ok", name);
    } catch (err) {
      if (!quiet) console.log("error", name);
      show(err);
    }
  }
}
log(logged, reader);
