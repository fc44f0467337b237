// Test driver: node driver.mjs HANDLER_FILE NAME...
//
// Imports HANDLER_FILE and the secret-baker-reader package it imports, looks
// every NAME up with the package's get in two rounds (the first asks for each
// name twice at once), then an unknown name, then calls the module's handler.
// Prints a JSON report holding the SHA-256 of each plaintext, never a
// plaintext.

import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [handlerFile, ...names] = process.argv.slice(2);
const mod = await import(pathToFileURL(resolve(handlerFile)).href);
// The handler's own copy of the package, so that both share its cache.
const reader = await import(pathToFileURL(createRequire(resolve(handlerFile)).resolve("secret-baker-reader")).href);
const digest = (value) => createHash("sha256").update(value, "utf8").digest("hex");

const rounds = [];
for (const lookups of [2, 1]) {
  const round = {};
  await Promise.all(
    names.flatMap((name) =>
      Array.from({ length: lookups }, async () => {
        round[name] = digest(await reader.get(name));
      }),
    ),
  );
  rounds.push(round);
}
const report = { rounds };
try {
  await reader.get("NO_SUCH_SECRET");
} catch (e) {
  report.unknown = e.name;
}
report.signature = (await mod.handler({ message: "hello" })).signature;
console.log(JSON.stringify(report));
