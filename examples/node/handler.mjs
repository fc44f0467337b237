// A Lambda function handler that signs messages with a secret from the baked
// file deployed next to it, secret-baker-secrets.json.
//
// It depends on the secret-baker-reader package (readers/node). get decrypts a
// secret with KMS the first time it is asked for and keeps it for the life of
// the execution environment, however many invocations ask for it at once; to
// pay for every KMS call during initialization instead, add
// `await decryptAll();` here at the top level.

import { createHmac } from "node:crypto";
import { get } from "secret-baker-reader";

/** Signs event.message with the SIGNING_KEY secret. */
export const handler = async (event) => {
  const key = await get("SIGNING_KEY");
  return { signature: createHmac("sha256", key).update(event.message, "utf8").digest("hex") };
};
