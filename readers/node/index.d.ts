import type { KMSClient } from "@aws-sdk/client-kms";

/** The file name of the baked file, deployed next to the function's code. */
export declare const DEFAULT_NAME: "secret-baker-secrets.json";

/** How many KMS calls decryptAll makes at once. */
export declare const DECRYPT_CONCURRENCY: number;

/**
 * One entry of a baked file: an SSM entry (parameter, version) or, when it has
 * a context, a Secrets Manager entry (secret-id, version-id, json-key).
 */
export interface Entry {
  /** The parameter ARN, the value of the PARAMETER_ARN encryption context, or the secret ARN. */
  arn: string;
  /** Base64 of the KMS ciphertext blob, as SSM returned it without decryption or as the bake sealed it. */
  ciphertext: string;
  /** The parameter as declared, selector included. */
  parameter?: string;
  /** The parameter version that was baked. */
  version?: number;
  /** The KMS encryption context of a Secrets Manager entry, passed to Decrypt verbatim. */
  context?: Record<string, string>;
  /** The secret id of a Secrets Manager entry as declared, a name or an ARN. */
  "secret-id"?: string;
  /** The Secrets Manager version id that was baked. */
  "version-id"?: string;
  /** The field of the secret's JSON value that was baked. */
  "json-key"?: string;
  /** When that version was set (SSM's LastModifiedDate, Secrets Manager's CreatedDate): UTC, YYYY-MM-DDTHH:MM:SSZ. */
  modified?: string;
  /** The KMS key that decrypted the entry when it was verified; passed to Decrypt as KeyId. */
  key?: string;
}

/** One item of a bundle's list: an entry's name, arn and version as a string (SSM version in decimal, or version-id). */
export interface BundleSecret {
  name: string;
  arn: string;
  version: string;
}

/** The values of every secret as one JSON object, encrypted with KMS in chunks, beside the list of the secrets it holds. */
export interface Bundle {
  /** The file's entries, sorted by name. */
  secrets: BundleSecret[];
  /** sha256: and the hex SHA-256 of the list (bundleDigest). */
  digest: string;
  /** The KMS key, passed to Decrypt as KeyId. */
  key: string;
  /** Canonical base64 of the KMS ciphertext of each chunk, in order. */
  chunks: string[];
}

/** The top-level key of a baked file's bundle. */
export declare const BUNDLE_KEY: "$bundle";

/** The part of a KMS client that Secrets uses: a KMSClient. */
export type KMSSender = Pick<KMSClient, "send">;

/** The baked file is not a valid baked file. The message gives positions, never content. */
export declare class MalformedFileError extends Error {
  name: "MalformedFileError";
  /** The rule the file breaks ("syntax", "duplicate", "case"...), named alike by the Go and Python readers. */
  kind: string;
}

/** KMS could not decrypt the bundle, or its plaintext is not the object of exactly its secrets. */
export declare class BundleError extends Error {
  name: "BundleError";
  /** The KMS error name when KMS answered with one. */
  code: string | undefined;
  /** The SDK's error, if any. */
  cause?: unknown;
}

/** The baked file holds no secret of that name. */
export declare class UnknownSecretError extends Error {
  name: "UnknownSecretError";
  /** The name looked up. */
  secret: string;
}

/** KMS could not decrypt a secret, or its plaintext is not UTF-8 text. */
export declare class DecryptError extends Error {
  name: "DecryptError";
  /** The secret's name. */
  secret: string;
  /** The KMS error name ("IncorrectKeyException"...) when KMS answered with one. */
  code: string | undefined;
  /** The SDK's error, if any. */
  cause?: unknown;
}

/** Returns where a Lambda function's baked file is deployed: DEFAULT_NAME in $LAMBDA_TASK_ROOT. */
export declare function defaultPath(): string;

/** Decodes a baked file by the README's file format rules; throws MalformedFileError. */
export declare function parse(data: Uint8Array): Map<string, Entry>;

/** parse returning the bundle too, undefined when the file has none. */
export declare function parseFile(data: Uint8Array): { entries: Map<string, Entry>; bundle: Bundle | undefined };

/** The list of the entries a bundle records, sorted by name. */
export declare function bundleList(entries: Map<string, Entry>): BundleSecret[];

/** sha256: and the hex SHA-256 of name, arn and version, each followed by a newline, of each item. */
export declare function bundleDigest(secrets: BundleSecret[]): string;

/** The encryption context of chunk i (from 1) of n of the bundle of digest. */
export declare function bundleContext(digest: string, i: number, n: number): Record<string, string>;

/** The secrets of a baked file, decrypted through a KMS client on first use. */
export declare class Secrets {
  /** Throws MalformedFileError for a ciphertext that is not canonical base64, or a bundle that does not hold exactly the entries. */
  constructor(entries: Map<string, Entry>, client: KMSSender, bundle?: Bundle);
  /** The secret names of the file, sorted. */
  readonly names: string[];
  /** The plaintext of the secret name; rejects with UnknownSecretError, DecryptError, or with a bundle BundleError. */
  get(name: string): Promise<string>;
  /** Decrypts every secret; rejects with an AggregateError of DecryptErrors, or with a bundle a BundleError. */
  decryptAll(): Promise<void>;
}

/** Reads the baked file at path (defaultPath() by default); makes no KMS call. */
export declare function open(path?: string, options?: { client?: KMSSender }): Secrets;

/** The plaintext of the secret name from the function's baked file. */
export declare function get(name: string): Promise<string>;

/** Decrypts every secret of the function's baked file. */
export declare function decryptAll(): Promise<void>;
