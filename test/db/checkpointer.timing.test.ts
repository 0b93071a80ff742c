// The WAL checkpointer: under steady writes the log must keep starting over, with SQLite's own
// checkpoint inside commits turned off (so only the worker can keep it short).
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type CheckpointerOptions, startCheckpointer } from "../../db/checkpointer";
import { closeDatabase, openSqliteDatabase } from "../../db/client";

const PAGE_FRAME_BYTES = 4096 + 24;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A WAL database at a fresh path, the main connection as the app opens it, minus autocheckpoint. */
function walDatabase() {
  const dir = mkdtempSync(join(tmpdir(), "parentline-checkpointer-"));
  dirs.push(dir);
  const path = join(dir, "test.db");
  const db = new BetterSqlite3(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("wal_autocheckpoint = 0");
  db.exec("create table rows (id integer primary key, body text)");
  return { db, path };
}

/** `commits` commits `apartMs` apart, as a busy webhook's steps come. */
async function writeSteadily(db: BetterSqlite3.Database, commits: number, apartMs: number) {
  const insert = db.prepare("insert into rows (body) values (?)");
  for (let i = 0; i < commits; i++) {
    insert.run("x".repeat(3000));
    await new Promise((resolve) => setTimeout(resolve, apartMs));
  }
}

/** The WAL file's size after steady writes with the worker checkpointing as told. */
async function walAfterSteadyWrites(
  options: CheckpointerOptions,
  writes: { commits: number; apartMs: number },
) {
  const { commits, apartMs } = writes;
  const { db, path } = walDatabase();
  const stop = startCheckpointer(path, { everyMs: 10, ...options });
  try {
    // Give the worker time to load before the writes begin.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writeSteadily(db, commits, apartMs);
    expect(db.prepare("select count(*) as n from rows").get()).toEqual({ n: commits });
    return statSync(`${path}-wal`).size;
  } finally {
    db.close();
    await stop();
  }
}

// Two more runs for a run in which the worker thread got no CPU; one that never catches up fails all.
const busyMachineRetries = { retry: 2 };

describe("the WAL checkpointer", () => {
  it(
    "starts the log over under steady writes, without the writer ever checkpointing",
    busyMachineRetries,
    async () => {
      const commits = 600;
      const wal = await walAfterSteadyWrites({ restartAfterFrames: 50 }, { commits, apartMs: 1 });
      // Each commit appends at least one frame (~3 here). With one PASSIVE checkpoint a tick the log
      // is never all copied when a write begins, so it kept them all: 4.2-7.4 MB measured.
      expect(wal).toBeLessThan((commits * PAGE_FRAME_BYTES) / 4);
    },
  );

  it(
    "catches a long log up with back-to-back PASSIVE checkpoints, between commits",
    busyMachineRetries,
    async () => {
      const commits = 300;
      // A RESTART only after 100,000 PASSIVE checkpoints in a row (longer than the writes last):
      // the log stays short only if a checkpoint ends between two commits and the next starts over.
      const wal = await walAfterSteadyWrites(
        { restartAfterFrames: 50, catchUpTries: 100_000 },
        { commits, apartMs: 1 },
      );
      // Measured: 27 % of a frame per commit; one PASSIVE checkpoint a tick, and no RESTART, left
      // 300 % (every frame kept).
      expect(wal).toBeLessThan((commits * PAGE_FRAME_BYTES) / 2);
    },
  );

  it("has let go of the file once closeDatabase settles: the log is checkpointed and removed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parentline-checkpointer-"));
    dirs.push(dir);
    const path = join(dir, "app.db");
    const db = openSqliteDatabase(path);
    // The worker has opened the file once it has checkpointed (the migrations' log) at least once.
    await new Promise((resolve) => setTimeout(resolve, 400));
    db.$client.exec("create table rows (id integer primary key, body text)");
    db.$client.prepare("insert into rows (body) values (?)").run("x".repeat(3000));
    expect(existsSync(`${path}-wal`)).toBe(true);
    await closeDatabase(db);
    // The last connection to close checkpoints and deletes the log: that was the worker's.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(existsSync(`${path}-shm`)).toBe(false);
  });
});
