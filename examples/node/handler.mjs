// A Lambda function handler that reads its secrets from the baked file
// deployed next to it, secret-baker-secrets.json.
//
// getSecret(name) decrypts one entry with KMS the first time it is asked for
// and keeps the plaintext for the life of the execution environment, so each
// secret costs one KMS call per cold start, however many invocations ask for
// it at once. Plaintexts are decoded as UTF-8, the encoding SSM stores them
// in. A failed call is not remembered.

import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DecryptCommand, KMSClient } from "@aws-sdk/client-kms";

const BAKED_FILE = join(process.env.LAMBDA_TASK_ROOT ?? "", "secret-baker-secrets.json");

const entries = JSON.parse(readFileSync(BAKED_FILE, "utf8"));
const kms = new KMSClient({});
const plaintexts = new Map(); // name -> Promise<string>
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The baked file holds no secret of that name. */
export class UnknownSecretError extends Error {
  constructor(name) {
    super(`unknown secret ${JSON.stringify(name)}`);
    this.name = "UnknownSecretError";
  }
}

/** Returns a promise of the plaintext of the secret name, a string. */
export function getSecret(name) {
  let plaintext = plaintexts.get(name);
  if (plaintext === undefined) {
    plaintext = decrypt(name);
    plaintexts.set(name, plaintext);
    plaintext.catch(() => {
      if (plaintexts.get(name) === plaintext) plaintexts.delete(name);
    });
  }
  return plaintext;
}

async function decrypt(name) {
  if (!Object.hasOwn(entries, name)) throw new UnknownSecretError(name);
  const { arn, ciphertext, key } = entries[name];
  const out = await kms.send(
    new DecryptCommand({
      CiphertextBlob: Buffer.from(ciphertext, "base64"),
      EncryptionContext: { PARAMETER_ARN: arn },
      KeyId: key || undefined, // the key verification saw: KMS refuses any other
    }),
  );
  return utf8.decode(out.Plaintext);
}

/** Signs event.message with the SIGNING_KEY secret. */
export const handler = async (event) => {
  const key = await getSecret("SIGNING_KEY");
  return { signature: createHmac("sha256", key).update(event.message, "utf8").digest("hex") };
};
