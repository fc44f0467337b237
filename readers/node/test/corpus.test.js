// The file format's conformance corpus, testdata/baked, which the Go and
// Python readers' tests read too: see its README.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import * as reader from "../index.js";

const CORPUS = fileURLToPath(new URL("../../../testdata/baked/", import.meta.url));

/**
 * Reads data as a Lambda function does: parseFile, then Secrets, which decodes
 * the ciphertexts; the entries, and the bundle under its key. parse must agree.
 */
function read(data) {
  let entries;
  try {
    entries = reader.parse(data);
  } catch {}
  const file = reader.parseFile(data);
  assert.deepEqual(entries, file.entries, "parse and parseFile disagree");
  new reader.Secrets(file.entries, null, file.bundle);
  return file.bundle ? new Map([[reader.BUNDLE_KEY, file.bundle], ...file.entries]) : file.entries;
}

function corpusFiles(dir) {
  const files = readdirSync(CORPUS + dir).filter((f) => f.endsWith(".json") && !f.endsWith(".want.json"));
  assert.ok(files.length > 0, `no corpus files in ${CORPUS + dir}`);
  return files;
}

describe("the corpus", () => {
  for (const name of corpusFiles("valid")) {
    test(`accepts valid/${name}`, () => {
      const want = JSON.parse(readFileSync(`${CORPUS}valid/${name.replace(/\.json$/, ".want.json")}`, "utf8"));
      assert.deepEqual(Object.fromEntries(read(readFileSync(`${CORPUS}valid/${name}`))), want);
    });
  }

  // KIND.CASE.json is refused for the rule KIND, with a message without the
  // marker LEAK, which the corpus puts wherever content must not be shown.
  for (const name of corpusFiles("invalid")) {
    test(`refuses invalid/${name}`, () => {
      assert.throws(
        () => read(readFileSync(`${CORPUS}invalid/${name}`)),
        (err) => {
          assert.ok(err instanceof reader.MalformedFileError, String(err));
          assert.equal(err.kind, name.split(".")[0], err.message);
          assert.ok(!err.message.includes("LEAK"), err.message);
          return true;
        },
      );
    });
  }
});
