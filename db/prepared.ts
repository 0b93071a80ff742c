// Statements built once per database. drizzle builds a query's SQL on every call, and for the
// small queries every inbound message and every send runs, building cost more than running
// (bench:flow and bench:inbound profiles). A prepared statement with placeholders is built once
// and run with new values; drizzle prepares the same way on better-sqlite3 and D1.
import { sql } from "drizzle-orm";
import type { Database } from "./client";

/** A named value supplied when a prepared statement runs. */
export const placeholder = (name: string) => sql.placeholder(name);

/** Wraps a statement builder so each database builds it once, on first use. */
export function preparedPerDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      built.set(db, statement);
    }
    return statement;
  };
}
