// A Durable Object's `ctx.storage` (its `sql.exec` cursors and `transactionSync`) emulated over an
// in-memory better-sqlite3 database, so the database, service and road suites also run through
// the Workers driver (drizzle's durable-sqlite and db/durable-sqlite-client.ts) in Node.
// PARENTLINE_TEST_DRIVER=durable-sqlite (the "durable-sqlite" vitest project) selects it. What it
// cannot show is workerd's own SQLite: test/workers/ runs that.
import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import type { Database } from "../../db";
import { type DurableSqlStorage, durableSqliteDatabase } from "../../db/durable-sqlite-client";
import { migrationsFolder, type NodeDatabase, openSqliteDatabase } from "../../db/node";

type SqlValue = ArrayBuffer | string | number | null;

/** A cursor over rows already read: what `sql.exec` returns. */
function cursorOver(columns: string[], rows: SqlValue[][]) {
  const objects = rows.map((row) =>
    Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null])),
  );
  const iterator = objects[Symbol.iterator]();
  return Object.assign(iterator, {
    toArray: () => [...iterator],
    raw: () => rows[Symbol.iterator](),
    columnNames: columns,
  });
}

export function emulatedDurableStorage(client: BetterSqlite3.Database): DurableSqlStorage {
  return {
    sql: {
      exec(query: string, ...bindings: unknown[]) {
        const statement = client.prepare(query);
        if (!statement.reader) {
          statement.run(...bindings);
          return cursorOver([], []);
        }
        const columns = statement.columns().map((column) => column.name);
        return cursorOver(columns, statement.raw(true).all(...bindings) as SqlValue[][]);
      },
    },
    transactionSync: <T>(closure: () => T): T => client.transaction(closure)(),
  } as unknown as DurableSqlStorage;
}

/** The Workers driver over an emulated object's storage, migrated as Node migrates. */
export function openEmulatedDurableDatabase(): Database {
  const client = new BetterSqlite3(":memory:");
  client.pragma("foreign_keys = ON");
  migrate(drizzle({ client }), { migrationsFolder });
  return durableSqliteDatabase(emulatedDurableStorage(client));
}

/** The driver this test run uses: better-sqlite3, or the Durable Object's when selected. */
export const testDriver = process.env.PARENTLINE_TEST_DRIVER ?? "better-sqlite3";

/**
 * An in-memory database for a test, through the selected driver. Typed as Node's so the suites
 * compile as they are; the tests that use better-sqlite3's own methods stay out of the
 * durable-sqlite project.
 */
export function openTestDatabase(): NodeDatabase {
  return (
    testDriver === "durable-sqlite" ? openEmulatedDurableDatabase() : openSqliteDatabase(":memory:")
  ) as NodeDatabase;
}
