// Reads the secrets of a secret-baker baked file in an AWS Lambda function.
//
// The baked file, secret-baker-secrets.json in $LAMBDA_TASK_ROOT, holds KMS
// ciphertexts only. A secret is decrypted with KMS Decrypt, the encryption
// context {"PARAMETER_ARN": arn} and, when the file records one, the key as
// KeyId (KMS then refuses a ciphertext under any other key), the first time
// its name is asked for. The plaintext is kept for the life of the process,
// the Lambda execution environment: one KMS call per secret per cold start.
// Lookups of the same name at once share one call; a failed call is not
// remembered, so the next lookup tries again. decryptAll() decrypts every
// secret a few at a time, for a handler that would rather pay for KMS in its
// initialization.
//
// Plaintexts are decoded as strict UTF-8, the encoding SSM stores them in.
// Nothing here prints or logs, and no error message holds a plaintext or a
// ciphertext.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DecryptCommand, KMSClient } from "@aws-sdk/client-kms";

/** The file name of the baked file, deployed next to the function's code. */
export const DEFAULT_NAME = "secret-baker-secrets.json";

/** How many KMS calls decryptAll makes at once. */
export const DECRYPT_CONCURRENCY = 8;

const ENCRYPTION_CONTEXT_KEY = "PARAMETER_ARN";
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The baked file is not a valid baked file. The message gives positions, never content. */
export class MalformedFileError extends Error {
  constructor(message) {
    super(`malformed baked file: ${message}`);
    this.name = "MalformedFileError";
  }
}

/** The baked file holds no secret of that name. */
export class UnknownSecretError extends Error {
  constructor(secret) {
    super(`unknown secret ${JSON.stringify(secret)}`);
    this.name = "UnknownSecretError";
    this.secret = secret;
  }
}

/**
 * KMS could not decrypt a secret, or its plaintext is not UTF-8 text. secret
 * is its name, code the KMS error name ("IncorrectKeyException"...) when KMS
 * answered with one, and cause the SDK's error.
 */
export class DecryptError extends Error {
  constructor(secret, reason, options) {
    super(`failed to decrypt secret ${JSON.stringify(secret)}: ${reason}`, options);
    this.name = "DecryptError";
    this.secret = secret;
    this.code = typeof options?.cause?.$fault === "string" ? options.cause.name : undefined; // a KMS error
  }
}

/** Returns where a Lambda function's baked file is deployed: DEFAULT_NAME in $LAMBDA_TASK_ROOT. */
export function defaultPath() {
  return join(process.env.LAMBDA_TASK_ROOT ?? "", DEFAULT_NAME);
}

/**
 * Decodes a baked file, as the Go package baked does: it accepts files written
 * by serverless-secret-baker (entries with only arn and ciphertext) and
 * ignores unknown entry fields, but rejects entries without a string arn and
 * ciphertext and anything that is not a JSON object of objects. (Unlike the Go
 * and Python readers it cannot see duplicate names: JSON.parse keeps the last.)
 */
export function parse(data) {
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw new MalformedFileError("not UTF-8");
  }
  let document;
  try {
    document = JSON.parse(text);
  } catch {
    // V8's message quotes the text around the error.
    throw new MalformedFileError("invalid JSON");
  }
  if (!isObject(document)) throw new MalformedFileError("expected an object of secret names");
  const entries = new Map();
  for (const [name, entry] of Object.entries(document)) {
    const where = `entry ${JSON.stringify(name)}`;
    if (!isObject(entry)) throw new MalformedFileError(`${where} is not an object`);
    if (!nonEmptyString(entry.arn) || !nonEmptyString(entry.ciphertext)) {
      throw new MalformedFileError(`${where} lacks arn or ciphertext`);
    }
    for (const field of ["parameter", "key"]) {
      if (entry[field] !== undefined && typeof entry[field] !== "string") {
        throw new MalformedFileError(`${where}: ${field} is not a string`);
      }
    }
    if (entry.version !== undefined && !Number.isSafeInteger(entry.version)) {
      throw new MalformedFileError(`${where}: version is not a whole number`);
    }
    if (!BASE64.test(entry.ciphertext)) throw new MalformedFileError(`${where}: ciphertext is not base64`);
    entries.set(name, entry);
  }
  return entries;
}

function isObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function nonEmptyString(value) {
  return typeof value === "string" && value !== "";
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The secrets of a baked file, decrypted through a KMS client on first use. */
export class Secrets {
  #client;
  #entries; // name -> entry
  #plaintexts = new Map(); // name -> Promise<string>, settled or under way

  /** entries is what parse returns; client a KMSClient. */
  constructor(entries, client) {
    this.#entries = entries;
    this.#client = client;
  }

  /** The secret names of the file, sorted. */
  get names() {
    return [...this.#entries.keys()].sort();
  }

  /**
   * Returns a promise of the plaintext of the secret name. It rejects with an
   * UnknownSecretError for a name the file does not hold and a DecryptError
   * when KMS fails or the plaintext is not UTF-8.
   */
  get(name) {
    let plaintext = this.#plaintexts.get(name);
    if (plaintext === undefined) {
      plaintext = this.#decrypt(name);
      this.#plaintexts.set(name, plaintext);
      plaintext.catch(() => {
        if (this.#plaintexts.get(name) === plaintext) this.#plaintexts.delete(name);
      });
    }
    return plaintext;
  }

  /**
   * Decrypts every secret, DECRYPT_CONCURRENCY at a time. The secrets that
   * decrypt stay cached; if any fails it rejects with an AggregateError of
   * their DecryptErrors, in name order.
   */
  async decryptAll() {
    const names = this.names;
    const failures = new Map();
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const name = names[next++];
        await this.get(name).catch((err) => failures.set(name, err));
      }
    };
    await Promise.all(Array.from({ length: Math.min(DECRYPT_CONCURRENCY, names.length) }, worker));
    if (failures.size > 0) {
      const errors = names.filter((name) => failures.has(name)).map((name) => failures.get(name));
      const details = errors.map((err) => err.message).join("; ");
      throw new AggregateError(errors, `failed to decrypt ${errors.length} of ${names.length} secrets: ${details}`);
    }
  }

  async #decrypt(name) {
    if (!this.#entries.has(name)) throw new UnknownSecretError(name);
    const { arn, ciphertext, key } = this.#entries.get(name);
    let out;
    try {
      out = await this.#client.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(ciphertext, "base64"),
          EncryptionContext: { [ENCRYPTION_CONTEXT_KEY]: arn },
          KeyId: key || undefined,
        }),
      );
    } catch (err) {
      throw new DecryptError(name, `${err?.name}: ${err?.message}`, { cause: err });
    }
    try {
      return utf8.decode(out.Plaintext);
    } catch {
      throw new DecryptError(name, "the plaintext is not UTF-8 text");
    }
  }
}

/**
 * Reads and parses the baked file at path (defaultPath() by default) and
 * returns its Secrets, decrypted through options.client (a new KMSClient by
 * default). It makes no KMS call.
 */
export function open(path = defaultPath(), { client } = {}) {
  return new Secrets(parse(readFileSync(path)), client ?? new KMSClient({}));
}

let defaultSecrets;

function secrets() {
  defaultSecrets ??= open();
  return defaultSecrets;
}

/**
 * Returns a promise of the plaintext of the secret name from the function's
 * baked file, which the first call of get or decryptAll reads.
 */
export async function get(name) {
  return secrets().get(name);
}

/** Decrypts every secret of the function's baked file; see Secrets.decryptAll. */
export async function decryptAll() {
  return secrets().decryptAll();
}
