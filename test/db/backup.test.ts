// Online backups: a whole, checked copy of the live database, never over an existing file, and
// the rotating copies a server keeps in BACKUP_DIR (the newest BACKUP_KEEP).
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { backupDatabase } from "../../db/node";
import { createTestParentline, DEMO } from "../support/parentline";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "parentline-backup-"));
  dirs.push(dir);
  return dir;
};

/** Opens a backup on its own and reads what it holds. */
function inspect(file: string) {
  const copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: copy.pragma("integrity_check", { simple: true }),
      journal: copy.pragma("journal_mode", { simple: true }),
      inbound: (copy.prepare("select count(*) as n from inbound_messages").get() as { n: number })
        .n,
    };
  } finally {
    copy.close();
  }
}

describe("backing up the database", () => {
  it("writes a self-contained copy that passes integrity_check and holds the data", async () => {
    const app = await createTestParentline();
    await app.say(DEMO.parentWithOneChild, "hi", "m-1");
    const file = join(freshDir(), "copy.db");
    const result = await backupDatabase(app.db.$client, file, { pagesPerStep: 5 });
    expect(result.pages).toBeGreaterThan(5);
    expect(inspect(file)).toEqual({ integrity: "ok", journal: "delete", inbound: 1 });
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it("copies commits still in the write-ahead log, through another connection than the writer's", async () => {
    const dir = freshDir();
    const live = new BetterSqlite3(join(dir, "live.db"));
    live.pragma("journal_mode = WAL");
    live.pragma("wal_autocheckpoint = 0");
    live.exec("create table inbound_messages (id integer primary key, body text)");
    const insert = live.prepare("insert into inbound_messages (body) values (?)");
    for (let i = 0; i < 200; i++) insert.run(`message ${i}`);
    // As `npm run db:backup` does: its own connection to the file the server is writing.
    const other = new BetterSqlite3(join(dir, "live.db"), { fileMustExist: true });
    const file = join(dir, "copy.db");
    await backupDatabase(other, file);
    insert.run("after the backup");
    other.close();
    live.close();
    expect(inspect(file)).toEqual({ integrity: "ok", journal: "delete", inbound: 200 });
  });

  it("refuses to write over an existing file and leaves it as it was", async () => {
    const app = await createTestParentline();
    const file = join(freshDir(), "taken.db");
    writeFileSync(file, "not a backup");
    await expect(backupDatabase(app.db.$client, file)).rejects.toThrow(/already exists/);
    expect(readdirSync(join(file, ".."))).toEqual(["taken.db"]);
  });

  it("keeps the newest BACKUP_KEEP rotating copies in BACKUP_DIR", async () => {
    const dir = join(freshDir(), "backups");
    const app = await createTestParentline({ BACKUP_DIR: dir, BACKUP_KEEP: "2" });
    // Someone else's file in the folder is never touched.
    const taken: string[] = [];
    for (const text of ["one", "two", "three"]) {
      await app.say(DEMO.parentWithOneChild, text, text);
      const result = await app.upkeep.backUp?.();
      taken.push(result?.file ?? "");
      app.clock.advance(60 * 60 * 1000);
      if (text === "one") writeFileSync(join(dir, "notes.txt"), "keep me");
    }
    expect(readdirSync(dir).sort()).toEqual([
      "notes.txt",
      "parentline-20261123T100000Z.db",
      "parentline-20261123T110000Z.db",
    ]);
    expect(taken.map((file) => file.slice(dir.length + 1))).toEqual([
      "parentline-20261123T090000Z.db",
      "parentline-20261123T100000Z.db",
      "parentline-20261123T110000Z.db",
    ]);
    expect(inspect(join(dir, "parentline-20261123T110000Z.db"))).toMatchObject({
      integrity: "ok",
      inbound: 3,
    });
  });

  it("takes none without BACKUP_DIR", async () => {
    const app = await createTestParentline();
    expect(app.upkeep.backUp).toBeUndefined();
  });
});
