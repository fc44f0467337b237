// Reads the secrets of a secret-baker baked file in an AWS Lambda function.
//
// The baked file, secret-baker-secrets.json in $LAMBDA_TASK_ROOT, holds KMS
// ciphertexts only. A secret is decrypted with KMS Decrypt, the encryption
// context its entry records (a Secrets Manager entry's context) or else
// {"PARAMETER_ARN": arn}, and, when the file records one, the key as KeyId (KMS then refuses a ciphertext under any other key), the first time
// its name is asked for. The plaintext is kept for the life of the process,
// the Lambda execution environment: one KMS call per secret per cold start.
// Lookups of the same name at once share one call; a failed call is not
// remembered, so the next lookup tries again. decryptAll() decrypts every
// secret at once, for a handler that would rather pay for KMS in its
// initialization.
//
// Plaintexts are decoded as strict UTF-8, the encoding SSM stores them in.
// Nothing here prints or logs, and no error message holds a plaintext or a
// ciphertext.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DecryptCommand, KMSClient } from "@aws-sdk/client-kms";

/** The file name of the baked file, deployed next to the function's code. */
export const DEFAULT_NAME = "secret-baker-secrets.json";

/**
 * How many KMS calls decryptAll makes at once, at most: every file of up to that
 * many secrets in one round trip (the Go and Python readers' bound too). open()
 * gives its KMS client as many sockets (the SDK's agent keeps 50).
 */
export const DECRYPT_CONCURRENCY = 256;

/**
 * The request handler options of the KMS client open() makes: keep-alive
 * agents with DECRYPT_CONCURRENCY sockets. Given as options, the handler is
 * ready at the first call; the SDK's default handler first waits for its
 * defaults mode, read from the environment or the shared config files.
 */
const REQUEST_HANDLER = {
  httpAgent: { keepAlive: true, maxSockets: DECRYPT_CONCURRENCY },
  httpsAgent: { keepAlive: true, maxSockets: DECRYPT_CONCURRENCY },
};

const ENCRYPTION_CONTEXT_KEY = "PARAMETER_ARN";

/** The top-level key of a baked file's bundle, outside the secret-name grammar. */
export const BUNDLE_KEY = "$bundle";

const MAX_BUNDLE_CHUNKS = 64;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The baked file is not a valid baked file. kind is the rule it breaks, named
 * alike by the Go and Python readers ("syntax", "duplicate", "case"...: see
 * the README's file format section). The message gives byte offsets or the
 * secret name, never other content.
 */
export class MalformedFileError extends Error {
  constructor(kind, message) {
    super(`malformed baked file: ${message}`);
    this.name = "MalformedFileError";
    this.kind = kind;
  }
}

/**
 * KMS could not decrypt the file's bundle, or its plaintext is not the JSON
 * object of exactly the secrets it lists to strings. code is the KMS error
 * name when KMS answered with one, and cause the SDK's error.
 */
export class BundleError extends Error {
  constructor(reason, options) {
    super(`failed to decrypt the bundle: ${reason}`, options);
    this.name = "BundleError";
    this.code = typeof options?.cause?.$fault === "string" ? options.cause.name : undefined;
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
 * Decodes a baked file by the rules of the README's file format section,
 * which the Go and Python readers apply alike. It returns a Map of the entries
 * by secret name, each holding the fields the file gives. It accepts files
 * written by serverless-secret-baker (arn and ciphertext only) and throws a
 * MalformedFileError for anything else the rules refuse: unknown fields,
 * duplicate keys or keys differing only in case, invalid names... Secrets
 * refuses a ciphertext that is not canonical base64.
 */
export function parse(data) {
  return parseFile(data).entries;
}

/**
 * parse returning the bundle too: { entries, bundle }, bundle undefined when
 * the file has none. A bundle, under BUNDLE_KEY, is an object of exactly
 * secrets, digest, key and chunks that holds exactly the file's entries (else
 * a MalformedFileError "bundle").
 */
export function parseFile(data) {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) {
    throw new MalformedFileError("bom", "byte order mark at byte 0");
  }
  let text;
  try {
    text = utf8.decode(data);
  } catch {
    throw new MalformedFileError("utf8", "not UTF-8");
  }
  const lexer = new Lexer(text);
  const open = lexer.next();
  if (open.kind !== "{") throw lexer.error("type", open.at, "not an object of secret names");
  const entries = new Map();
  let bundle;
  lexer.members((key) => {
    if (key.text === BUNDLE_KEY) {
      bundle = lexer.bundle();
      return;
    }
    if (!NAME.test(key.text)) throw lexer.error("name", key.at, `secret name not matching ${NAME.source}`);
    entries.set(key.text, lexer.entry(key.text));
  });
  if (bundle) checkBundle(bundle, entries);
  lexer.skipSpace();
  if (lexer.pos < text.length) throw lexer.error("trailing", lexer.pos, "unexpected data after the object");
  return { entries, bundle };
}

function bundleError(reason) {
  return new MalformedFileError("bundle", `${BUNDLE_KEY}: ${reason}`);
}

/**
 * Throws the MalformedFileError "bundle" of a bundle whose list is not
 * exactly the entries, sorted, whose digest is not the list's, or whose
 * chunks or key break their rules; it quotes nothing.
 */
function checkBundle(bundle, entries) {
  const { secrets, digest, chunks, key } = bundle;
  if (secrets.length === 0) throw bundleError("secrets is empty");
  secrets.forEach((s, i) => {
    if (!NAME.test(s.name) || s.arn === "" || s.version === "") {
      throw bundleError(`secret ${i + 1} has an invalid name or an empty arn or version`);
    }
    if (i > 0 && s.name <= secrets[i - 1].name) throw bundleError("secrets are not sorted by name, each once");
  });
  const list = bundleList(entries);
  const same = (a, b) => a.name === b.name && a.arn === b.arn && a.version === b.version;
  if (list.length !== secrets.length || !list.every((s, i) => same(s, secrets[i]))) {
    throw bundleError("secrets are not the file's entries, with their arn and version");
  }
  if (!DIGEST.test(digest) || digest !== bundleDigest(secrets)) throw bundleError("digest is not the digest of secrets");
  if (chunks.length === 0 || chunks.length > MAX_BUNDLE_CHUNKS) {
    throw bundleError(`chunks does not hold 1 to ${MAX_BUNDLE_CHUNKS} chunks`);
  }
  if (!chunks.every(canonicalBase64)) throw bundleError("a chunk is not canonical base64");
  if (key === "") throw bundleError("key is empty");
}

/**
 * The list of the entries a bundle records, sorted by name: name, arn, and
 * the version-id of a Secrets Manager entry or the version in decimal.
 */
export function bundleList(entries) {
  return [...entries.keys()].sort().map((name) => {
    const e = entries.get(name);
    return { name, arn: e.arn, version: (e.context ? e["version-id"] : e.version?.toString()) ?? "" };
  });
}

/** sha256: and the hex SHA-256 of name, arn and version, each followed by a newline, of each item. */
export function bundleDigest(secrets) {
  const text = secrets.map((s) => `${s.name}\n${s.arn}\n${s.version}\n`).join("");
  return `sha256:${createHash("sha256").update(text, "utf8").digest("hex")}`;
}

/** The encryption context of chunk i (from 1) of n of the bundle of digest. */
export function bundleContext(digest, i, n) {
  return { "secret-baker:bundle": digest, "secret-baker:chunk": `${i}/${n}` };
}

/** Whether text is the canonical base64 of a non-empty blob. */
function canonicalBase64(text) {
  return text !== "" && Buffer.from(text, "base64").toString("base64") === text;
}

const NAME = /^[A-Za-z0-9_.\-/]{1,256}$/;
const SPACE = /[ \t\n\r]*/y;
const ASCII = /^[\u0000-\u007f]*$/;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const STRING_START = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y; // ends where a STRING fails
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const LITERAL = /true|false|null/y;
const MODIFIED = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$/;

/**
 * The fields of an entry, and no others: each is a non-empty string but
 * version, a number, and context, an object of non-empty strings; the values
 * with a rule of their own have its error kind, description and check.
 */
const FIELDS = new Map([
  ["arn", {}],
  ["ciphertext", {}], // decoded by Secrets
  ["parameter", {}],
  ["key", {}],
  ["secret-id", {}],
  ["version-id", {}],
  ["json-key", {}],
  ["context", { object: true }], // checked against the other fields by checkKind
  [
    "version",
    {
      number: true,
      kind: "version",
      want: "a whole number from 1 to 2^53-1",
      valid: (v) => /^[1-9][0-9]*$/.test(v) && Number(v) <= Number.MAX_SAFE_INTEGER,
    },
  ],
  ["modified", { kind: "modified", want: "a UTC time YYYY-MM-DDTHH:MM:SSZ from 1970 to 9999", valid: validModified }],
]);

function validModified(v) {
  const m = MODIFIED.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  return y >= 1970 && new Date(Date.UTC(y, mo - 1, d, h, mi, s)).toISOString() === `${v.slice(0, 19)}.000Z`;
}

/**
 * Reads the tokens of RFC 8259 JSON, refusing what the Go and Python readers
 * refuse: control characters in strings, escapes of unpaired surrogates, NaN
 * and Infinity, whitespace other than space, tab, CR and LF. A token is
 * { kind, text, at }: kind is the punctuation itself, '"' for a string, "0"
 * for a number, "l" for true, false or null; text is a string's value or a
 * number's text; at is where it starts in the text.
 */
class Lexer {
  constructor(text) {
    this.text = text;
    this.pos = 0;
  }

  /** A MalformedFileError at the text's index at, given as a byte offset. */
  error(kind, at, message) {
    return new MalformedFileError(kind, `${message} at byte ${Buffer.byteLength(this.text.slice(0, at))}`);
  }

  skipSpace() {
    this.pos = this.#match(SPACE, this.pos);
  }

  next() {
    this.skipSpace();
    const at = this.pos;
    const c = this.text[at];
    if (c === undefined) throw this.error("syntax", at, "unexpected end of file");
    if ("{}[]:,".includes(c)) {
      this.pos++;
      return { kind: c, at };
    }
    if (c === '"') return { kind: '"', text: this.#string(), at };
    for (const [kind, pattern] of [["0", NUMBER], ["l", LITERAL]]) {
      const end = this.#match(pattern, at);
      if (end > at) {
        this.pos = end;
        return { kind, text: this.text.slice(at, end), at };
      }
    }
    throw this.error("syntax", at, "invalid JSON");
  }

  /**
   * Reads the members of the object whose "{" was just read: for each, its
   * key, which may not equal a key before it, exactly or but for ASCII case,
   * and the colon, then member(key) reads its value.
   */
  members(member) {
    const seen = new Map(); // ASCII-lowercased key → key
    for (let first = true; ; first = false) {
      const key = this.next();
      if (first && key.kind === "}") return;
      if (key.kind !== '"') throw this.error("syntax", key.at, "expected a key");
      const lower = asciiLower(key.text);
      const before = seen.get(lower);
      if (before === key.text) throw this.error("duplicate", key.at, `duplicate key${quoted(key.text)}`);
      if (before !== undefined) {
        throw this.error("case", key.at, `key${quoted(key.text)} differs from key${quoted(before)} only in case`);
      }
      seen.set(lower, key.text);
      const colon = this.next();
      if (colon.kind !== ":") throw this.error("syntax", colon.at, "expected ':'");
      member(key);
      const next = this.next();
      if (next.kind === "}") return;
      if (next.kind !== ",") throw this.error("syntax", next.at, "expected ',' or '}'");
    }
  }

  /**
   * Reads the value of BUNDLE_KEY: an object of exactly secrets (an array of
   * objects of exactly name, arn and version, each a string), digest, key
   * (strings) and chunks (an array of strings). parseFile checks the rest.
   */
  bundle() {
    const bundle = {};
    this.#object("not an object", (key) => {
      if (key.text === "secrets") {
        bundle.secrets = this.#array("secrets", () => {
          const item = {};
          this.#object("an item of secrets is not an object", (field) => {
            if (!["name", "arn", "version"].includes(field.text)) throw bundleError("unknown field in an item of secrets");
            item[field.text] = this.#stringValue("a field of an item of secrets");
          });
          if (Object.keys(item).length !== 3) throw bundleError("an item of secrets lacks name, arn or version");
          return item;
        });
      } else if (key.text === "chunks") {
        bundle.chunks = this.#array("chunks", () => this.#stringValue("a chunk"));
      } else if (key.text === "digest" || key.text === "key") {
        bundle[key.text] = this.#stringValue(key.text);
      } else {
        throw bundleError("unknown field");
      }
    });
    if (Object.keys(bundle).length !== 4) throw bundleError("lacks secrets, digest, key or chunks");
    return bundle;
  }

  /** The next token, which starts a value: other punctuation than "{" or "[" is a syntax error. */
  #value() {
    const t = this.next();
    if ("}]:,".includes(t.kind)) throw this.error("syntax", t.at, "expected a value");
    return t;
  }

  /** Reads an object of the bundle, each member with member(key); not says what a value that is not one is. */
  #object(not, member) {
    if (this.#value().kind !== "{") throw bundleError(not);
    this.members(member);
  }

  /** Reads the array of the bundle's field name and returns its elements, each read by elem(). */
  #array(name, elem) {
    if (this.#value().kind !== "[") throw bundleError(`${name} is not an array`);
    const elements = [];
    this.skipSpace();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return elements;
    }
    for (;;) {
      elements.push(elem());
      const next = this.next();
      if (next.kind === "]") return elements;
      if (next.kind !== ",") throw this.error("syntax", next.at, "expected ',' or ']'");
    }
  }

  /** Reads a string of the bundle; what names it in the error. */
  #stringValue(what) {
    const t = this.#value();
    if (t.kind !== '"') throw bundleError(`${what} is not a string`);
    return t.text;
  }

  /** Reads the object of the secret name and returns its entry. */
  entry(name) {
    const open = this.next();
    if (open.kind !== "{") throw this.error("type", open.at, `entry ${JSON.stringify(name)} is not an object`);
    const fields = this.#fields(name, false);
    const entry = {};
    const where = `entry ${JSON.stringify(name)}`;
    for (const { key, value, members } of fields) {
      const rule = FIELDS.get(key.text);
      if (rule === undefined) throw this.error("unknown", key.at, `${where}: unknown field`);
      if (valueKind(rule) !== value.kind) throw this.#typeError(name, key, value);
      if (value.text === "") throw this.error("empty", value.at, `${where}: ${key.text} is empty`);
      for (const m of members ?? []) {
        if (m.value.kind !== '"') throw this.error("type", m.value.at, `${where}: a value of ${key.text} is not a string`);
        if (m.value.text === "") throw this.error("empty", m.value.at, `${where}: a value of ${key.text} is empty`);
      }
      if (rule.valid && !rule.valid(value.text)) {
        throw this.error(rule.kind, value.at, `${where}: ${key.text} is not ${rule.want}`);
      }
      entry[key.text] = rule.number ? Number(value.text) : members ? objectOf(members) : value.text;
    }
    checkKind(where, entry);
    return entry;
  }

  /**
   * Reads the members of an object of the entry of the secret name, whose "{"
   * was just read: each { key, value } a string, a number or, unless the
   * object is nested in the entry, an object of them, whose members it holds.
   */
  #fields(name, nested) {
    const fields = [];
    this.members((key) => {
      const value = this.next();
      const field = { key, value };
      fields.push(field);
      if (value.kind === '"' || value.kind === "0") return;
      if (value.kind === "{" && !nested) {
        field.members = this.#fields(name, true);
        return;
      }
      if (nested) throw this.error("type", value.at, `entry ${JSON.stringify(name)}: a value in an object of the entry is not a string`);
      throw this.#typeError(name, key, value);
    });
    return fields;
  }

  #typeError(name, key, value) {
    const rule = FIELDS.get(key.text);
    const what = rule ? `${key.text} is not ${TYPE_NAMES[valueKind(rule)]}` : "a value is not a string, a number or an object";
    return this.error("type", value.at, `entry ${JSON.stringify(name)}: ${what}`);
  }

  #string() {
    const at = this.pos;
    const end = this.#match(STRING, at);
    if (end < 0) {
      const bad = this.#match(STRING_START, at);
      if (bad === this.text.length) throw this.error("syntax", bad, "unexpected end of file");
      throw this.error("syntax", bad, this.text[bad] < " " ? "control character in a string" : "invalid escape");
    }
    this.pos = end;
    const raw = this.text.slice(at + 1, end - 1);
    if (!raw.includes("\\")) return raw; // no escape: the text itself, well formed as the decoded file is
    const s = JSON.parse(this.text.slice(at, end));
    if (!s.isWellFormed()) throw this.error("surrogate", at, "unpaired surrogate escape");
    return s;
  }

  /** Returns where the sticky pattern's match at index at ends, or -1. */
  #match(pattern, at) {
    pattern.lastIndex = at;
    return pattern.test(this.text) ? pattern.lastIndex : -1;
  }
}

/** s with only its ASCII letters lowercased. */
function asciiLower(s) {
  return ASCII.test(s) ? s.toLowerCase() : s.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The object of string members; Object.fromEntries makes each key, "__proto__" too, an own property. */
function objectOf(members) {
  return Object.fromEntries(members.map((m) => [m.key.text, m.value.text]));
}

/** The token kind of the value a field's rule wants. */
function valueKind(rule) {
  return rule.number ? "0" : rule.object ? "{" : '"';
}

const TYPE_NAMES = { '"': "a string", 0: "a number", "{": "an object" };

/**
 * Throws the error of the entry (where names it) whose fields make neither an
 * SSM nor a Secrets Manager entry, or whose context is not the one the bake
 * seals its secret with, in the order the Go and Python readers check them.
 */
function checkKind(where, entry) {
  const has = (field) => Object.hasOwn(entry, field);
  const sm = has("context");
  if (!has("arn") || !has("ciphertext")) throw new MalformedFileError("missing", `${where} lacks arn or ciphertext`);
  if (!sm && ["secret-id", "version-id", "json-key"].some(has)) {
    throw new MalformedFileError("mixed", `${where}: secret-id, version-id and json-key belong to a Secrets Manager entry, which has a context`);
  }
  if (sm && ["parameter", "version"].some(has)) {
    throw new MalformedFileError("mixed", `${where}: parameter and version belong to an SSM entry, which has no context`);
  }
  if (sm && (!has("secret-id") || !has("version-id"))) {
    throw new MalformedFileError("missing", `${where} has a context but lacks secret-id or version-id`);
  }
  if (sm && !sameContext(entry.context, sealedContext(entry.arn, entry["version-id"], entry["json-key"]))) {
    throw new MalformedFileError(
      "context",
      `${where}: context is not the sealed context: SecretARN equal to arn, SecretVersionId to version-id, json-key to json-key if the entry has one, and no other key`,
    );
  }
}

/** The encryption context a bake seals a Secrets Manager secret's value with. */
function sealedContext(secretARN, versionID, jsonKey) {
  return { SecretARN: secretARN, SecretVersionId: versionID, ...(jsonKey ? { "json-key": jsonKey } : {}) };
}

/** Whether the contexts a and b hold the same own keys and values. */
function sameContext(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/** key quoted after a space when it is a valid name, which a message may show, else "". */
function quoted(key) {
  return NAME.test(key) ? ` ${JSON.stringify(key)}` : "";
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The secrets of a baked file, decrypted through a KMS client on first use.
 * With a bundle, the first lookup or decryptAll decrypts the bundle, one KMS
 * call per chunk, all at once, and keeps every value; entries are then never
 * decrypted one by one.
 */
export class Secrets {
  #client;
  #entries; // name -> entry
  #bundle; // what parseFile returns, or undefined
  #plaintexts = new Map(); // name -> Promise<string>, settled or under way
  #bundleValues = new Map(); // BUNDLE_KEY -> Promise<Map> of every value, settled or under way

  /**
   * entries and bundle are what parseFile returns; client a KMSClient. It
   * throws a MalformedFileError of kind "ciphertext" for a ciphertext that is
   * not the canonical base64 of a non-empty blob, and "bundle" for a bundle
   * that does not hold exactly the entries.
   */
  constructor(entries, client, bundle) {
    for (const [name, { ciphertext }] of entries) {
      if (!canonicalBase64(ciphertext)) {
        throw new MalformedFileError("ciphertext", `entry ${JSON.stringify(name)}: ciphertext is not canonical base64`);
      }
    }
    if (bundle) checkBundle(bundle, entries);
    this.#entries = entries;
    this.#client = client;
    this.#bundle = bundle;
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
    if (!this.#entries.has(name)) return Promise.reject(new UnknownSecretError(name));
    if (this.#bundle) return this.#values().then((v) => v.get(name));
    return this.#once(this.#plaintexts, name, () => this.#decrypt(name));
  }

  /** The promise of the bundle's values, decrypted once for every lookup. */
  #values() {
    return this.#once(this.#bundleValues, BUNDLE_KEY, () => this.#decryptBundle());
  }

  /** The promise cache holds for key, else decrypt()'s, which it forgets if it fails. */
  #once(cache, key, decrypt) {
    let promise = cache.get(key);
    if (promise === undefined) {
      promise = decrypt();
      cache.set(key, promise);
      promise.catch(() => {
        if (cache.get(key) === promise) cache.delete(key);
      });
    }
    return promise;
  }

  /** Decrypts every chunk of the bundle at once and returns a Map of the values they hold. */
  async #decryptBundle() {
    const { chunks, digest, key } = this.#bundle;
    const n = chunks.length;
    const plaintexts = await Promise.all(
      chunks.map(async (chunk, i) => {
        try {
          const out = await this.#client.send(
            new DecryptCommand({ CiphertextBlob: Buffer.from(chunk, "base64"), EncryptionContext: bundleContext(digest, i + 1, n), KeyId: key }),
          );
          return out.Plaintext;
        } catch (err) {
          throw new BundleError(`chunk ${i + 1} of ${n}: ${err?.name}: ${err?.message}`, { cause: err });
        }
      }),
    );
    const values = bundleValues(Buffer.concat(plaintexts), this.#entries);
    if (!values) throw new BundleError("its plaintext is not the JSON object of exactly its secrets to strings");
    return values;
  }

  /**
   * Decrypts every secret, all at once up to DECRYPT_CONCURRENCY calls. The secrets that
   * decrypt stay cached; if any fails it rejects with an AggregateError of
   * their DecryptErrors, in name order.
   */
  async decryptAll() {
    if (this.#bundle) {
      await this.#values();
      return;
    }
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
    const { arn, ciphertext, key, context } = this.#entries.get(name);
    let out;
    try {
      out = await this.#client.send(
        new DecryptCommand({
          CiphertextBlob: Buffer.from(ciphertext, "base64"),
          EncryptionContext: context ? { ...context } : { [ENCRYPTION_CONTEXT_KEY]: arn }, // a Secrets Manager entry's, verbatim
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

/** A Map of the values of a bundle's plaintext if it is the JSON object of exactly the names of entries to strings. */
function bundleValues(plaintext, entries) {
  const values = new Map();
  try {
    const lexer = new Lexer(utf8.decode(plaintext));
    if (lexer.next().kind !== "{") return undefined;
    lexer.members((key) => {
      const value = lexer.next();
      if (value.kind !== '"') throw new Error("not a string");
      values.set(key.text, value.text);
    });
    lexer.skipSpace();
    if (lexer.pos < lexer.text.length) return undefined;
  } catch {
    return undefined; // never shown: it could quote a value
  }
  return values.size === entries.size && [...entries.keys()].every((name) => values.has(name)) ? values : undefined;
}

/**
 * Reads and parses the baked file at path (defaultPath() by default) and
 * returns its Secrets, decrypted through options.client (by default a new
 * KMSClient with DECRYPT_CONCURRENCY sockets). It makes no KMS call.
 */
export function open(path = defaultPath(), { client } = {}) {
  const { entries, bundle } = parseFile(readFileSync(path));
  return new Secrets(entries, client ?? new KMSClient({ requestHandler: REQUEST_HANDLER }), bundle);
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
