// Test fixtures on the AWS emulator, shared by the reader's tests.

import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateKeyCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";

import { ACCOUNT, REGION } from "./emulator.js";

/** A KMS client for the emulator emu that counts its Decrypt requests and can hold the first. */
export function countingClient(emu, { holdFirst = false } = {}) {
  const client = new KMSClient(emu.config);
  const calls = { count: 0, inFlight: 0, maxInFlight: 0, delayMs: 0 };
  let release;
  const released = new Promise((resolve) => (release = resolve));
  let arrive;
  calls.arrived = new Promise((resolve) => (arrive = resolve));
  calls.release = release;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "DecryptCommand") return next(args);
      calls.count++;
      calls.inFlight++;
      calls.maxInFlight = Math.max(calls.maxInFlight, calls.inFlight);
      try {
        if (holdFirst && calls.count === 1) {
          arrive();
          await released;
        }
        if (calls.delayMs) await sleep(calls.delayMs);
        return await next(args);
      } finally {
        calls.inFlight--;
      }
    },
    { step: "deserialize", name: "countDecrypt" }, // inside the retry loop: once per request
  );
  return { client, calls };
}

/** Encrypts values on emu under a new customer managed key and returns them as baked file entries. */
export async function fixture(emu, values) {
  const kms = new KMSClient(emu.config);
  const { KeyMetadata: key } = await kms.send(new CreateKeyCommand({}));
  const prefix = randomUUID();
  const entries = new Map();
  for (const [name, value] of Object.entries(values)) {
    const arn = `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/${prefix}/${name}`;
    const { CiphertextBlob } = await kms.send(
      new EncryptCommand({
        KeyId: key.KeyId,
        Plaintext: typeof value === "string" ? Buffer.from(value, "utf8") : value,
        EncryptionContext: { PARAMETER_ARN: arn },
      }),
    );
    entries.set(name, {
      arn,
      ciphertext: Buffer.from(CiphertextBlob).toString("base64"),
      parameter: `/${prefix}/${name}`,
      version: 1,
      key: key.Arn,
    });
  }
  return { entries, keyArn: key.Arn };
}
