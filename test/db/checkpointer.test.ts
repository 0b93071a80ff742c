// The WAL checkpointer: under steady writes the log must keep starting over, with SQLite's own
// checkpoint inside commits turned off (so only the worker can keep it short).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { startCheckpointer } from "../../db/checkpointer";

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

/** `commits` commits about a millisecond apart, as a busy webhook's steps come. */
async function writeSteadily(db: BetterSqlite3.Database, commits: number) {
  const insert = db.prepare("insert into rows (body) values (?)");
  for (let i = 0; i < commits; i++) {
    insert.run("x".repeat(3000));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The WAL file's size after steady writes with the worker checkpointing as told. */
async function walAfterSteadyWrites(restartAfterFrames: number, commits: number) {
  const { db, path } = walDatabase();
  const stop = startCheckpointer(path, { everyMs: 10, restartAfterFrames });
  try {
    // Give the worker time to load before the writes begin.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await writeSteadily(db, commits);
    expect(db.prepare("select count(*) as n from rows").get()).toEqual({ n: commits });
    return statSync(`${path}-wal`).size;
  } finally {
    stop();
    db.close();
  }
}

describe("the WAL checkpointer", () => {
  it("starts the log over under steady writes, without the writer ever checkpointing", async () => {
    const commits = 600;
    const wal = await walAfterSteadyWrites(50, commits);
    // Each commit appends at least one frame (~3 here). With PASSIVE checkpoints alone the log is
    // never all copied when a write begins, so it kept them all: 4.2-7.4 MB measured.
    expect(wal).toBeLessThan((commits * PAGE_FRAME_BYTES) / 4);
  });
});
