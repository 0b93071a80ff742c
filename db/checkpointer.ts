// Checkpoints the WAL from a worker thread. Left to SQLite, a checkpoint runs inside whichever
// commit takes the log past wal_autocheckpoint pages, on the event loop: that request (and every
// request queued behind it) waits while megabytes are copied and fsynced. bench:inbound's p99 at
// half load fell from ~35 ms to ~20 ms (Twilio) with checkpoints out of the commits. A PASSIVE checkpoint
// from another connection copies what it can without blocking the writer.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the worker checkpoints: the log holds at most about this long of writes. */
const CHECKPOINT_EVERY_MS = 250;

// A CommonJS script (an eval'd worker is CommonJS, and needs no TypeScript loader).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 5000");
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (error) { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing `path` in a worker; the returned function stops it. */
export function startCheckpointer(path: string, everyMs = CHECKPOINT_EVERY_MS): () => void {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, driver, everyMs } });
  // Never what keeps the process alive, and never a reason for it to crash.
  worker.unref();
  worker.on("error", () => {});
  return () => worker.postMessage("stop");
}
