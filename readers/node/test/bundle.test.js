// Tests of the reader's bundle against the AWS emulator: the bundle of a
// fixture's entries is sealed with KMS Encrypt as a bake seals one, and KMS
// Decrypt calls are counted on the client, once per HTTP request sent.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { EncryptCommand, KMSClient } from "@aws-sdk/client-kms";

import * as reader from "../index.js";
import { start } from "../testing/emulator.js";
import { countingClient as countingClientOf, fixture as fixtureOf } from "../testing/fixture.js";

const { emulator: emu, skip } = await start();
after(() => emu?.close());
const countingClient = (options) => countingClientOf(emu, options);
const fixture = (values) => fixtureOf(emu, values);

// 200 secrets of 100 bytes, two-byte characters so that a chunk may end inside one: several chunks.
const VALUES = Object.fromEntries(
  Array.from({ length: 200 }, (_, i) => [`SECRET_${String(i).padStart(3, "0")}`, `${String(i).padStart(3, "0")}${"é".repeat(48)}x`]),
);

/** The bundle of entries with that plaintext, chunked and encrypted with KMS Encrypt. */
async function sealBundle(entries, keyArn, plaintext) {
  const kms = new KMSClient(emu.config);
  const secrets = reader.bundleList(entries);
  const digest = reader.bundleDigest(secrets);
  const parts = [];
  for (let i = 0; i < plaintext.length; i += 4096) parts.push(plaintext.subarray(i, i + 4096));
  const chunks = [];
  for (const [i, part] of parts.entries()) {
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({ KeyId: keyArn, Plaintext: part, EncryptionContext: reader.bundleContext(digest, i + 1, parts.length) }),
    );
    chunks.push(Buffer.from(CiphertextBlob).toString("base64"));
  }
  return { secrets, digest, key: keyArn, chunks };
}

describe("a bundle", { skip }, () => {
  let entries, keyArn, bundle;
  before(async () => {
    ({ entries, keyArn } = await fixture(VALUES));
    bundle = await sealBundle(entries, keyArn, Buffer.from(JSON.stringify(VALUES), "utf8"));
  });

  for (const first of ["decryptAll", "get"]) {
    test(`is decrypted in one call per chunk, first by ${first}`, async () => {
      assert.ok(bundle.chunks.length > 1);
      const { client, calls } = countingClient();
      const s = new reader.Secrets(entries, client, bundle);
      if (first === "decryptAll") await s.decryptAll();
      for (const [name, value] of Object.entries(VALUES)) assert.equal(await s.get(name), value);
      await s.decryptAll();
      assert.equal(calls.count, bundle.chunks.length);
    });
  }

  test("is never a secret's name", async () => {
    const { client } = countingClient();
    const s = new reader.Secrets(entries, client, bundle);
    const [bundleKey, first] = await Promise.allSettled([s.get(reader.BUNDLE_KEY), s.get("SECRET_000")]);
    assert.ok(bundleKey.reason instanceof reader.UnknownSecretError);
    assert.equal(first.value, VALUES.SECRET_000);
    await assert.rejects(s.get(reader.BUNDLE_KEY), reader.UnknownSecretError);
  });

  test("is read by open", async () => {
    const dir = mkdtempSync(join(tmpdir(), "secret-baker-bundle-"));
    try {
      const path = join(dir, reader.DEFAULT_NAME);
      writeFileSync(path, JSON.stringify({ [reader.BUNDLE_KEY]: bundle, ...Object.fromEntries(entries) }));
      const { client, calls } = countingClient();
      assert.equal(await reader.open(path, { client }).get("SECRET_007"), VALUES.SECRET_007);
      assert.equal(calls.count, bundle.chunks.length);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  test("is refused when stale", () => {
    const stale = structuredClone(bundle);
    stale.secrets[0].version = "2";
    assert.throws(() => new reader.Secrets(entries, null, stale), (err) => err.kind === "bundle");
  });

  test("is refused when tampered", async () => {
    const [a, b, ...rest] = bundle.chunks;
    const text = JSON.stringify(VALUES);
    for (const tampered of [
      { ...bundle, chunks: [b, a, ...rest] },
      await sealBundle(entries, keyArn, Buffer.from('{"SECRET_000":"a"}')),
      await sealBundle(entries, keyArn, Buffer.from(text.replace("{", '{"SECRET_000":"a",'))),
    ]) {
      const { client, calls } = countingClient();
      const s = new reader.Secrets(entries, client, tampered);
      for (const attempt of [() => s.decryptAll(), () => s.get("SECRET_001")]) {
        await assert.rejects(attempt(), (err) => err instanceof reader.BundleError && !err.message.includes("ééé"));
      }
      assert.equal(calls.count, 2 * tampered.chunks.length);
    }
  });
});
