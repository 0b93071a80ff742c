// Group commit: units of work that commit in the same turn share one transaction, each in its own
// savepoint. Checked through a second connection, which sees only what has been committed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, type PlannedWrite, WriteConflict } from "../../db";
import { closeDatabase, createGroupCommit, openSqliteDatabase } from "../../db/node";

const opened: { db: Database; reader: BetterSqlite3.Database; dir: string }[] = [];
afterEach(async () => {
  for (const { db, reader, dir } of opened.splice(0)) {
    reader.close();
    await closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The app's connection to a file database with a `notes` table, and a reader beside it. */
function databaseWithReader() {
  const dir = mkdtempSync(join(tmpdir(), "parentline-group-commit-"));
  const db = openSqliteDatabase(join(dir, "test.db"));
  db.$client.exec(
    "create table notes (id integer primary key, body text not null, parent integer references notes (id))",
  );
  const reader = new BetterSqlite3(join(dir, "test.db"));
  opened.push({ db, reader, dir });
  const insert = db.$client.prepare("insert into notes (id, body, parent) values (?, ?, ?)");
  const visibleIds = () =>
    (reader.prepare("select id from notes order by id").all() as { id: number }[]).map(
      (row) => row.id,
    );
  const note = (id: number, parent: number | null = null): PlannedWrite => ({
    query: { run: () => insert.run(id, `note ${id}`, parent) },
  });
  return { db, note, visibleIds };
}

describe("group commit", () => {
  it("writes the units that commit in one turn in one transaction, told only after its COMMIT", async () => {
    const { db, note, visibleIds } = databaseWithReader();
    const group = createGroupCommit(db);
    const seenWhileWriting: number[][] = [];
    const committedIds: number[] = [];
    const watched = (id: number): PlannedWrite => ({
      query: {
        run: () => {
          seenWhileWriting.push(visibleIds());
          return note(id).query.run();
        },
      },
      onCommitted: () => committedIds.push(id),
    });

    const first = group.commit([watched(1)]);
    const second = group.commit([watched(2), note(3)]);
    expect(visibleIds()).toEqual([]);
    await first;
    // When the first unit is told, the second is already committed with it: one COMMIT.
    expect(visibleIds()).toEqual([1, 2, 3]);
    await second;
    expect(seenWhileWriting).toEqual([[], []]);
    expect(committedIds).toEqual([1, 2]);

    // Units of separate turns are separate transactions: the later one sees the earlier one.
    await group.commit([watched(4)]);
    await group.commit([watched(5)]);
    expect(seenWhileWriting.slice(2)).toEqual([
      [1, 2, 3],
      [1, 2, 3, 4],
    ]);
  });

  it("rolls back only the unit whose guarded write changed nothing, and rejects it alone", async () => {
    const { db, note, visibleIds } = databaseWithReader();
    const group = createGroupCommit(db);
    const touchMissing = db.$client.prepare("update notes set body = 'x' where id = 99");
    const told: string[] = [];

    const results = await Promise.allSettled([
      group.commit([note(1)]),
      group.commit([
        { ...note(2), onCommitted: () => told.push("2") },
        { query: { run: () => touchMissing.run() }, guard: "note-99" },
      ]),
      group.commit([{ ...note(3), onCommitted: () => told.push("3") }]),
    ]);

    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const reason = (results[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(WriteConflict);
    expect((reason as WriteConflict).guard).toBe("note-99");
    // Note 2 was written before the guard failed; its savepoint took it back.
    expect(visibleIds()).toEqual([1, 3]);
    expect(told).toEqual(["3"]);
  });

  it("rejects every unit and writes nothing when the COMMIT itself fails", async () => {
    const { db, note, visibleIds } = databaseWithReader();
    const group = createGroupCommit(db);
    // A deferred foreign key is checked at COMMIT: the dangling parent fails the whole group.
    db.$client.pragma("defer_foreign_keys = ON");

    const results = await Promise.allSettled([
      group.commit([note(1)]),
      group.commit([note(2, 404)]),
    ]);

    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect(visibleIds()).toEqual([]);
    expect(db.$client.inTransaction).toBe(false);
    // The connection is usable afterwards.
    await group.commit([note(3)]);
    expect(visibleIds()).toEqual([3]);
  });

  it("commits a lone unit on its own and rejects it when its guard fails", async () => {
    const { db, note, visibleIds } = databaseWithReader();
    const group = createGroupCommit(db);
    const touchMissing = db.$client.prepare("update notes set body = 'x' where id = 99");

    await expect(
      group.commit([note(1), { query: { run: () => touchMissing.run() }, guard: "note-99" }]),
    ).rejects.toBeInstanceOf(WriteConflict);
    await group.commit([note(2)]);
    await group.commit([]);
    expect(visibleIds()).toEqual([2]);
  });
});
