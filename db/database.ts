// The database seam: drizzle's synchronous SQLite API plus the raw statements the hot paths run,
// one shape over better-sqlite3 (Node, db/client.ts) and a Durable Object's storage
// (Workers, db/durable-object.ts). Queries are written once against this.
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema";

/** What running a write returned, as better-sqlite3 reports it. */
export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/** A compiled statement (better-sqlite3's Statement, or the Durable Object's stand-in for one). */
export interface SqlStatement<Params extends unknown[], Row> {
  /** The SQL text it was compiled from. */
  readonly source: string;
  run(...params: Params): SqlRunResult;
  get(...params: Params): Row | undefined;
  all(...params: Params): Row[];
  iterate(...params: Params): IterableIterator<Row>;
  /** Rows as arrays of values instead of objects. */
  raw(toggle?: boolean): this;
}

/**
 * The connection under drizzle: statements by SQL text (named `@name` or positional `?`
 * parameters) and a transaction wrapper, nested calls being savepoints.
 */
export interface SqlClient {
  prepare<Params extends unknown[] | object = unknown[], Row = unknown>(
    source: string,
  ): Params extends unknown[] ? SqlStatement<Params, Row> : SqlStatement<[Params], Row>;
  /** The most values one statement may bind; SQLite's own 32,766 when unset. */
  readonly maxBoundParameters?: number;
  // biome-ignore lint/suspicious/noExplicitAny: the wrapped function's own signature is kept
  transaction<F extends (...args: any[]) => unknown>(
    fn: F,
  ): (...args: Parameters<F>) => ReturnType<F>;
}

/** drizzle over either driver, with the raw connection as `$client`. */
export type Database = BaseSQLiteDatabase<"sync", unknown, typeof schema> & { $client: SqlClient };

export interface WriteResult {
  changes: number;
  lastInsertRowid: number;
}

const LAST_WRITE = "select changes() as changes, last_insert_rowid() as lastInsertRowid";

/**
 * The row count and new row id of the write just run. better-sqlite3 returns them from `run()`;
 * drizzle's Durable Object driver returns nothing, so there they are read from the connection.
 */
export function writeResultOf(client: SqlClient, ran: unknown): WriteResult {
  const reported = ran as Partial<SqlRunResult> | undefined;
  if (typeof reported?.changes === "number") {
    return { changes: reported.changes, lastInsertRowid: Number(reported.lastInsertRowid ?? 0) };
  }
  const row = client.prepare<[], SqlRunResult>(LAST_WRITE).get();
  return { changes: row?.changes ?? 0, lastInsertRowid: Number(row?.lastInsertRowid ?? 0) };
}
