// Type-checked by the tests against index.d.ts: how a handler uses the package.
import { KMSClient } from "@aws-sdk/client-kms";
import { DecryptError, MalformedFileError, Secrets, UnknownSecretError, decryptAll, get, open } from "secret-baker-reader";

await decryptAll();
const password: string = await get("DB_PASSWORD");

const secrets: Secrets = open("/var/task/secret-baker-secrets.json", { client: new KMSClient({}) });
const names: string[] = secrets.names;
try {
  const key: string = await secrets.get(names[0] ?? "SIGNING_KEY");
  console.log(key.length, password.length);
} catch (err) {
  if (err instanceof DecryptError) console.log(err.secret, err.code satisfies string | undefined);
  if (err instanceof UnknownSecretError) console.log(err.secret);
}
try {
  open("/var/task/other.json");
} catch (err) {
  if (err instanceof MalformedFileError) console.log(err.kind satisfies string);
}
