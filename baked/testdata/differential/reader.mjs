// Differential test driver (baked/differential_test.go): node reader.mjs READER_DIR
//
// Reads inputs on stdin, each one line of base64, and reads each with the
// package in READER_DIR as a Lambda function does: parseFile, then Secrets,
// which decodes the ciphertexts. It prints one JSON line per input:
// {"ok": FILE}, FILE being the entries and the bundle under BUNDLE_KEY as the
// corpus's .want.json files hold them, or {"error": KIND}, the
// MalformedFileError's kind, or {"crash": NAME}, the name of anything else
// thrown. It never prints a message, which could quote the input.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const reader = await import(pathToFileURL(resolve(process.argv[2], "index.js")).href);

function read(data) {
  const { entries, bundle } = reader.parseFile(data);
  new reader.Secrets(entries, null, bundle);
  return Object.fromEntries(bundle ? [[reader.BUNDLE_KEY, bundle], ...entries] : entries);
}

const lines = readFileSync(0, "latin1").split("\n").slice(0, -1); // each line ends with "\n"
const results = lines.map((line) => {
  try {
    return { ok: read(Buffer.from(line, "base64")) };
  } catch (err) {
    return err instanceof reader.MalformedFileError ? { error: err.kind } : { crash: String(err?.name) };
  }
});
process.stdout.write(results.map((r) => JSON.stringify(r) + "\n").join(""));
