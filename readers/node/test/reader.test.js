// Tests of the reader against the AWS emulator.
//
// Each test encrypts its values with KMS and the encryption context SSM binds
// a SecureString to, which is what a baked file's ciphertexts are; the Go
// tests in examples/ run the reader on files that the bake package made
// through SSM. KMS Decrypt calls are counted on the client, once per HTTP
// request sent.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { after, describe, test } from "node:test";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";

import * as reader from "../index.js";
import { ACCOUNT, REGION, start } from "../testing/emulator.js";
import { countingClient as countingClientOf, fixture as fixtureOf } from "../testing/fixture.js";

const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

// Plaintexts that must come back unchanged: text beyond ASCII, several lines,
// JSON, a leading byte order mark.
const VALUES = {
  SIGNING_KEY: "k3y-for-hmac",
  DB_PASSWORD: "pässwörd-🔑",
  TLS_KEY: "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBg\n-----END PRIVATE KEY-----\n",
  CONFIG: '{"user":"app","password":"p\\"w"}',
  BOM: "\ufeffstarts-with-a-bom",
};

const { emulator: emu, skip } = await start();
after(() => emu?.close());

const countingClient = (options) => countingClientOf(emu, options);
const fixture = (values) => fixtureOf(emu, values);

function secrets(entries, options) {
  const { client, calls } = countingClient(options);
  return { s: new reader.Secrets(entries, client), calls };
}

/** entry with another ARN than the one its ciphertext is bound to. */
function moved(entry) {
  return { ...entry, arn: `${entry.arn}-moved` };
}

const digest = (value) => createHash("sha256").update(value, "utf8").digest("hex");

describe("get", { skip }, () => {
  test("decrypts each secret once", async () => {
    const { entries } = await fixture(VALUES);
    const { s, calls } = secrets(entries);
    for (const round of [1, 2]) {
      for (const [name, want] of Object.entries(VALUES)) {
        assert.equal(await s.get(name), want, `round ${round}: ${name}`);
      }
      assert.equal(calls.count, Object.keys(VALUES).length, `KMS Decrypt calls after round ${round}`);
    }
  });

  test("concurrent first lookups share one call", async () => {
    const { entries } = await fixture(VALUES);
    const { s, calls } = secrets(entries, { holdFirst: true });
    const lookups = Array.from({ length: 16 }, () => s.get("DB_PASSWORD"));
    await calls.arrived;
    lookups.push(s.get("DB_PASSWORD")); // while the call is held
    calls.release();
    assert.deepEqual(await Promise.all(lookups), Array(17).fill(VALUES.DB_PASSWORD));
    assert.equal(calls.count, 1, "KMS Decrypt calls");
  });

  test("lookups waiting on a failed call share its error, and the next one tries again", async () => {
    const { entries } = await fixture(VALUES);
    const { s, calls } = secrets(new Map([["BROKEN", moved(entries.get("CONFIG"))]]), { holdFirst: true });
    const lookups = Array.from({ length: 4 }, () => s.get("BROKEN"));
    await calls.arrived;
    calls.release();
    for (const result of await Promise.allSettled(lookups)) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof reader.DecryptError);
    }
    assert.equal(calls.count, 1, "KMS Decrypt calls of the shared lookups");
    await assert.rejects(s.get("BROKEN"), reader.DecryptError);
    assert.equal(calls.count, 2, "KMS Decrypt calls: a failure must not be cached");
  });

  test("a failure names the secret, holds no ciphertext and is not cached", async () => {
    const { entries } = await fixture(VALUES);
    const entry = moved(entries.get("DB_PASSWORD"));
    const { s, calls } = secrets(new Map([["DB_PASSWORD", entry]]));
    for (const attempt of [1, 2]) {
      await assert.rejects(s.get("DB_PASSWORD"), (err) => {
        assert.ok(err instanceof reader.DecryptError, `attempt ${attempt}: ${err}`);
        assert.equal(err.code, "InvalidCiphertextException");
        assert.equal(err.secret, "DB_PASSWORD");
        assert.match(err.message, /"DB_PASSWORD"/);
        assert.ok(!err.message.includes(entry.ciphertext));
        return true;
      });
    }
    assert.equal(calls.count, 2, "KMS Decrypt calls: a failure must not be cached");
  });

  test("the recorded key", async (t) => {
    const { entries, keyArn } = await fixture({ A: "value-a" });
    const kms = new KMSClient(emu.config);
    const { KeyMetadata: other } = await kms.send(new CreateKeyCommand({}));
    const cases = [
      { name: "recorded key", key: keyArn },
      { name: "no recorded key", key: "" },
      { name: "another key recorded", key: other.Arn, wantCode: "IncorrectKeyException" },
    ];
    for (const tc of cases) {
      await t.test(tc.name, async () => {
        const { s } = secrets(new Map([["A", { ...entries.get("A"), key: tc.key }]]));
        if (!tc.wantCode) {
          assert.equal(await s.get("A"), "value-a");
          return;
        }
        await assert.rejects(s.get("A"), (err) => err instanceof reader.DecryptError && err.code === tc.wantCode);
      });
    }
  });

  test("a Secrets Manager entry decrypts with its context, and not under another", async () => {
    const kms = new KMSClient(emu.config);
    const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({}));
    const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${randomUUID()}/db-AbCdEf`;
    const version = randomUUID();
    const context = { SecretARN: arn, SecretVersionId: version, "json-key": "password" };
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from(VALUES.DB_PASSWORD, "utf8"), EncryptionContext: context }),
    );
    const entry = {
      arn,
      ciphertext: Buffer.from(CiphertextBlob).toString("base64"),
      context,
      "secret-id": arn,
      "version-id": version,
      "json-key": "password",
      key: key.Arn,
    };
    const other = { ...entry, "json-key": "user", context: { ...context, "json-key": "user" } };
    const dir = mkdtempSync(join(tmpdir(), "secret-baker-sm-"));
    try {
      const path = join(dir, reader.DEFAULT_NAME);
      writeFileSync(path, JSON.stringify({ DB_PASSWORD: entry, OTHER_FIELD: other }, null, 2));
      const s = reader.open(path, { client: new KMSClient(emu.config) });
      assert.equal(await s.get("DB_PASSWORD"), VALUES.DB_PASSWORD);
      await assert.rejects(s.get("OTHER_FIELD"), (err) => err instanceof reader.DecryptError && err.code === "InvalidCiphertextException");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a plaintext that is not UTF-8", async () => {
    const value = Buffer.from("caf\xe9-latin-1-\xff", "latin1");
    const { entries } = await fixture({ LATIN1: value });
    const { s, calls } = secrets(entries);
    for (const attempt of [1, 2]) {
      await assert.rejects(s.get("LATIN1"), (err) => {
        assert.ok(err instanceof reader.DecryptError, `attempt ${attempt}: ${err}`);
        assert.match(err.message, /not UTF-8/);
        for (const form of [value.toString("latin1"), value.toString("hex"), value.toString("base64")]) {
          assert.ok(!err.message.includes(form));
        }
        return true;
      });
    }
    assert.equal(calls.count, 2, "KMS Decrypt calls: a failure must not be cached");
  });

  test("an unknown secret", async () => {
    const { entries } = await fixture({ A: "value-a" });
    const { s, calls } = secrets(entries);
    await assert.rejects(s.get("NO_SUCH_SECRET"), {
      name: "UnknownSecretError",
      message: 'unknown secret "NO_SUCH_SECRET"',
      secret: "NO_SUCH_SECRET",
    });
    assert.equal(calls.count, 0, "KMS Decrypt calls");
  });
});

describe("decryptAll", { skip }, () => {
  test("decrypts every secret and names the failures", async () => {
    const { entries } = await fixture(VALUES);
    entries.set("BROKEN", moved(entries.get("CONFIG")));
    const { s, calls } = secrets(entries);
    await assert.rejects(s.decryptAll(), (err) => {
      assert.ok(err instanceof AggregateError);
      assert.deepEqual(
        err.errors.map((e) => [e.secret, e.code]),
        [["BROKEN", "InvalidCiphertextException"]],
      );
      assert.match(err.message, /failed to decrypt 1 of 6 secrets/);
      return true;
    });
    assert.equal(calls.count, entries.size, "KMS Decrypt calls of decryptAll");
    for (const [name, want] of Object.entries(VALUES)) assert.equal(await s.get(name), want, name);
    assert.equal(calls.count, entries.size, "KMS Decrypt calls after decryptAll");
  });

  test("bounds its concurrency", async () => {
    const values = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`S${i}`, `value-${i}`]));
    const { entries } = await fixture(values);
    const { s, calls } = secrets(entries);
    calls.delayMs = 50; // so that the calls overlap
    await s.decryptAll();
    assert.equal(calls.count, 20, "KMS Decrypt calls");
    assert.ok(calls.maxInFlight <= reader.DECRYPT_CONCURRENCY, `${calls.maxInFlight} calls at once`);
    assert.ok(calls.maxInFlight > 1, "decryptAll made its calls one at a time");
  });

  test("skips cached secrets", async () => {
    const { entries } = await fixture({ A: "value-a", B: "value-b" });
    const { s, calls } = secrets(entries);
    await s.get("A");
    await s.decryptAll();
    await s.decryptAll();
    assert.equal(calls.count, 2, "KMS Decrypt calls");
  });
});

describe("the module-level get, in a fresh process as in a Lambda function", { skip }, () => {
  async function node(code, env) {
    const { stdout, stderr } = await run(process.execPath, ["--input-type=module", "-e", code], { env, cwd: PACKAGE_ROOT });
    for (const value of Object.values(VALUES)) assert.ok(!(stdout + stderr).includes(value), "a value was printed");
    return stdout;
  }

  test("reads the file in LAMBDA_TASK_ROOT", async (t) => {
    const { entries } = await fixture(VALUES);
    const taskRoot = mkdtempSync(join(tmpdir(), "secret-baker-reader-"));
    t.after(() => rmSync(taskRoot, { recursive: true }));
    writeFileSync(join(taskRoot, reader.DEFAULT_NAME), JSON.stringify(Object.fromEntries(entries), null, 2));
    const code = `
      import { createHash } from "node:crypto";
      import { decryptAll, get } from "secret-baker-reader";
      const digest = (v) => createHash("sha256").update(v, "utf8").digest("hex");
      await decryptAll();
      const out = {};
      for (const name of ${JSON.stringify(Object.keys(VALUES))}) out[name] = digest(await get(name));
      await get("NO_SUCH_SECRET").catch((err) => { out.unknown = err.name; });
      console.log(JSON.stringify(out));`;
    const got = JSON.parse(await node(code, { ...emu.env(), LAMBDA_TASK_ROOT: taskRoot }));
    const want = Object.fromEntries(Object.entries(VALUES).map(([n, v]) => [n, digest(v)]));
    assert.deepEqual(got, { ...want, unknown: "UnknownSecretError" });
  });

  test("a missing file rejects get", async (t) => {
    const taskRoot = mkdtempSync(join(tmpdir(), "secret-baker-reader-"));
    t.after(() => rmSync(taskRoot, { recursive: true }));
    const code = `
      import { get } from "secret-baker-reader";
      await get("A").catch((err) => console.log(err.code));`;
    assert.equal(await node(code, { ...emu.env(), LAMBDA_TASK_ROOT: taskRoot }), "ENOENT\n");
  });
});

describe("the package", () => {
  test("holds the module, its types and its README", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: PACKAGE_ROOT });
    const [{ files }] = JSON.parse(stdout);
    assert.deepEqual(files.map((f) => f.path).sort(), ["README.md", "index.d.ts", "index.js", "package.json"]);
  });

  test("index.d.ts types a handler's use of it", async () => {
    const tsc = join(PACKAGE_ROOT, "node_modules", "typescript", "bin", "tsc");
    await run(process.execPath, [tsc, "--project", join(PACKAGE_ROOT, "testing", "tsconfig.json")], { cwd: PACKAGE_ROOT });
  });
});
