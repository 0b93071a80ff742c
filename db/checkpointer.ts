// Checkpoints the WAL from a worker thread. Left to SQLite, a checkpoint runs inside whichever
// commit takes the log past wal_autocheckpoint pages, on the event loop: that request (and every
// request queued behind it) waits while megabytes are copied and fsynced. bench:inbound's p99 at
// half load fell from ~35 ms to ~20 ms (Twilio) with checkpoints out of the commits.
//
// A PASSIVE checkpoint from another connection copies what it can without blocking the writer. But
// SQLite starts the log over only when a write begins with all of it copied, and under steady
// writes a checkpoint that runs on a timer rarely ends between two commits: the log grew until the
// backstop checkpoint ran in a commit after all (seen under bench:inbound: the event loop's fsyncs
// and 20-55 ms stalls about once a second). So once the log is long, the worker runs PASSIVE
// checkpoints back to back, each copying only what the last one left, until one ends with nothing
// new written (the next commit then starts the log over) or the log starts over. Only if that fails
// `catchUpTries` times in a row does it force a RESTART checkpoint, which holds writers off (the
// event loop waits in SQLite's busy handler, in sleeps of 1, 2, 5 ms...). Under a Telegram
// bench:inbound-style load (full-load rounds, then half load): RESTARTs fell from one every tick to
// 16 in 106 ticks, and half-load p99 over five runs each from 24-72 ms (median 33) to 18-38 ms
// (median 21).
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface CheckpointerOptions {
  /** How often the worker checkpoints: the log holds at most about this long of writes. */
  everyMs?: number;
  /** A log longer than this many frames (pages) after a checkpoint is caught up and started over. */
  restartAfterFrames?: number;
  /** How many PASSIVE checkpoints in a row may try to catch a long log up before a RESTART. */
  catchUpTries?: number;
}

// A CommonJS script (an eval'd worker is CommonJS, and needs no TypeScript loader).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 5000");
const passive = () => db.pragma("wal_checkpoint(PASSIVE)")[0];
const timer = setInterval(() => {
  try {
    let { log } = passive();
    for (let tries = 0; log > workerData.restartAfterFrames; tries++) {
      if (tries === workerData.catchUpTries) {
        db.pragma("wal_checkpoint(RESTART)");
        break;
      }
      const before = log;
      const result = passive();
      log = result.log;
      // Nothing written since the last one, and all of it copied: the next commit starts over.
      if (log === before && result.checkpointed === log) break;
    }
  } catch (error) { /* busy: the next tick tries again */ }
}, workerData.everyMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Starts checkpointing `path` in a worker. The returned function stops it (calling it again only
 * waits), and settles once the worker has closed its connection and exited: until then it may
 * still checkpoint, and, when its connection is the file's last, remove the -wal and -shm files.
 */
export function startCheckpointer(
  path: string,
  { everyMs = 250, restartAfterFrames = 1000, catchUpTries = 20 }: CheckpointerOptions = {},
): () => Promise<void> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, driver, everyMs, restartAfterFrames, catchUpTries },
  });
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  // Never what keeps the process alive, and never a reason for it to crash.
  worker.unref();
  worker.on("error", () => {});
  let stopping = false;
  return () => {
    if (!stopping) {
      stopping = true;
      // Held while it stops: a process shutting down waits for the file to be closed.
      worker.ref();
      worker.postMessage("stop");
    }
    return exited;
  };
}
