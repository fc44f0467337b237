// The Node.js driver of bench's reader measurements (see main.go beside it):
// node coldstart.mjs READER_DIR get NAME | node coldstart.mjs READER_DIR all

import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

const [readerDir, mode, name] = process.argv.slice(2);
const start = performance.now();
const reader = await import(pathToFileURL(resolve(readerDir, "index.js")).href); // @aws-sdk/client-kms included
const imported = performance.now();
const secrets = reader.open();
const opened = performance.now();
const cpu = process.cpuUsage();
if (mode === "get") await secrets.get(name);
else await secrets.decryptAll();
const done = performance.now();
const { user, system } = process.cpuUsage(cpu); // every thread's, in microseconds
console.log(JSON.stringify({ import_ms: imported - start, open_ms: opened - imported, op_ms: done - opened, op_cpu_ms: (user + system) / 1e3 }));
