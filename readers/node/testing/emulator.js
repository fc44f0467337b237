// Starts the repository's AWS emulator (internal/testing/emulator/moto_aws.py: moto
// patched to behave like AWS) on a free port of 127.0.0.1 for the tests.
//
// When it cannot run here (no python3, or moto 5.2.1 is not importable) the
// tests are skipped, or fail when CI is "true".

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("../../../internal/testing/emulator/moto_aws.py", import.meta.url));
const EXIT_UNAVAILABLE = 3; // the script's exit code for a missing or wrong moto
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012"; // moto's account for any credentials
export const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };

/** A running moto_aws.py. */
class Emulator {
  constructor(child, port) {
    this.child = child;
    this.url = `http://127.0.0.1:${port}`;
    this.exited = new Promise((resolve) => child.once("exit", resolve));
  }

  /** The configuration of an SDK client that talks to the emulator. */
  get config() {
    return { region: REGION, endpoint: this.url, credentials: CREDENTIALS };
  }

  /** This process's environment with its AWS settings pointed at the emulator. */
  env() {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_")));
    return {
      ...env,
      AWS_ENDPOINT_URL: this.url,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      AWS_REGION: REGION,
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
    };
  }

  /** Closes the script's stdin, on which it exits, and kills it if it still runs after ten seconds. */
  async close() {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Starts the emulator. It returns { emulator } or, when the emulator cannot
 * run here and CI is not "true", { skip: reason }; on CI it throws instead.
 */
export async function start() {
  const child = spawn("python3", [SCRIPT], { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const failed = new Promise((resolve) => {
    child.once("error", (err) => resolve({ unavailable: err.code === "ENOENT", reason: `python3: ${err.message}` }));
    child.once("exit", (code) => resolve({ unavailable: code === EXIT_UNAVAILABLE, reason: `exited with ${code}` }));
  });
  const ready = (async () => {
    for await (const line of createInterface({ input: child.stdout })) {
      const m = /^READY (\d+)$/.exec(line);
      if (m) return Number(m[1]);
    }
    return new Promise(() => {}); // the exit settles the race
  })();
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ unavailable: false, reason: "no READY in 60 s" }), START_TIMEOUT_MS);
  });
  const result = await Promise.race([ready, failed, timeout]);
  clearTimeout(timer);
  if (typeof result === "number") {
    child.stdout.resume(); // drains anything it prints later
    return { emulator: new Emulator(child, result) };
  }
  child.kill("SIGKILL");
  const message = `moto_aws.py ${result.reason} before READY: ${stderr.trim()}`;
  if (!result.unavailable) throw new Error(message);
  if (process.env.CI === "true") throw new Error(`moto emulator required on CI: ${message}`);
  return { skip: `moto emulator not available: ${message}` };
}
