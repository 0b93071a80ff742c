// A Durable Object's SQLite storage as the same Database the core uses on Node: drizzle's
// durable-sqlite driver, and a SqlClient over `ctx.storage.sql` for the raw statements, with
// `transactionSync` as the transaction. Free of Workers-only imports.
import { drizzle } from "drizzle-orm/durable-sqlite";
import type { Database, SqlClient, SqlRunResult, SqlStatement } from "./database";
import { positionalStatement } from "./positional-parameters";
import * as schema from "./schema";

type SqlValue = ArrayBuffer | string | number | null;

/** The part of a SqlStorageCursor used here. */
interface StorageCursor extends IterableIterator<Record<string, SqlValue>> {
  toArray(): Record<string, SqlValue>[];
  raw(): IterableIterator<SqlValue[]>;
}

/** The part of a Durable Object's `ctx.storage` used here. */
export interface DurableSqlStorage {
  sql: { exec(query: string, ...bindings: unknown[]): StorageCursor };
  transactionSync<T>(closure: () => T): T;
}

const LAST_WRITE = "select changes() as changes, last_insert_rowid() as lastInsertRowid";

/** https://developers.cloudflare.com/durable-objects/platform/limits/ (SQL storage limits). */
export const DURABLE_OBJECT_MAX_BOUND_PARAMETERS = 100;

/** The object's database as the core uses it; migrations are the caller's (durable-object.ts). */
export function durableSqliteDatabase(storage: DurableSqlStorage): Database {
  const db = drizzle(storage as never, { schema });
  // drizzle keeps its own reference to the storage; `$client` is what the raw statements use.
  return Object.assign(db, { $client: durableSqlClient(storage) }) as unknown as Database;
}

/** better-sqlite3's statement surface over `storage.sql.exec`, statements kept by SQL text. */
export function durableSqlClient(storage: DurableSqlStorage): SqlClient {
  const statements = new Map<string, SqlStatement<unknown[], unknown>>();
  const client = {
    maxBoundParameters: DURABLE_OBJECT_MAX_BOUND_PARAMETERS,
    prepare(source: string) {
      let statement = statements.get(source);
      if (!statement) {
        statement = durableStatement(storage, source);
        statements.set(source, statement);
      }
      return statement;
    },
    transaction<Args extends unknown[], Result>(fn: (...args: Args) => Result) {
      return (...args: Args) => storage.transactionSync(() => fn(...args));
    },
  };
  return client as unknown as SqlClient;
}

function durableStatement(
  storage: DurableSqlStorage,
  source: string,
): SqlStatement<unknown[], unknown> {
  const compiled = positionalStatement(source);
  const exec = (args: unknown[]) => storage.sql.exec(compiled.sql, ...compiled.bind(args));
  let rawRows = false;
  const statement: SqlStatement<unknown[], unknown> = {
    source,
    raw(toggle = true) {
      rawRows = toggle;
      return statement;
    },
    run(...args) {
      exec(args).toArray();
      const last = storage.sql.exec(LAST_WRITE).toArray()[0] as unknown as SqlRunResult;
      return { changes: last.changes, lastInsertRowid: last.lastInsertRowid };
    },
    get(...args) {
      const cursor = exec(args);
      const next = rawRows ? cursor.raw().next() : cursor.next();
      return next.done ? undefined : next.value;
    },
    all(...args) {
      const cursor = exec(args);
      return rawRows ? [...cursor.raw()] : cursor.toArray();
    },
    iterate(...args) {
      const cursor = exec(args);
      return (rawRows ? cursor.raw() : cursor) as IterableIterator<unknown>;
    },
  };
  return statement;
}
