// Checkpoints the WAL from a worker thread. Left to SQLite, a checkpoint runs inside whichever
// commit takes the log past wal_autocheckpoint pages, on the event loop: that request (and every
// request queued behind it) waits while megabytes are copied and fsynced. bench:inbound's p99 at
// half load fell from ~35 ms to ~20 ms (Twilio) with checkpoints out of the commits.
//
// A PASSIVE checkpoint from another connection copies what it can without blocking the writer. But
// under steady writes it never catches up: commits land while it copies, so the log is never all
// copied when the next write begins, SQLite never starts the log over, and it grows until the
// backstop checkpoint runs in a commit after all (seen under bench:inbound: the event loop's fsyncs
// and 20-55 ms stalls about once a second). So once the log is long, the worker follows with a
// RESTART checkpoint: it holds writers off only while it copies the few frames written since
// the PASSIVE one, and the next commit starts the log over.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface CheckpointerOptions {
  /** How often the worker checkpoints: the log holds at most about this long of writes. */
  everyMs?: number;
  /** A log longer than this many frames (pages) after a checkpoint is started over. */
  restartAfterFrames?: number;
}

// A CommonJS script (an eval'd worker is CommonJS, and needs no TypeScript loader).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 5000");
const timer = setInterval(() => {
  try {
    const [{ log }] = db.pragma("wal_checkpoint(PASSIVE)");
    if (log > workerData.restartAfterFrames) db.pragma("wal_checkpoint(RESTART)");
  } catch (error) { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** Starts checkpointing `path` in a worker; the returned function stops it. */
export function startCheckpointer(
  path: string,
  { everyMs = 250, restartAfterFrames = 1000 }: CheckpointerOptions = {},
): () => void {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver, everyMs, restartAfterFrames },
  });
  // Never what keeps the process alive, and never a reason for it to crash.
  worker.unref();
  worker.on("error", () => {});
  return () => worker.postMessage("stop");
}
