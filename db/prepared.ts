// Statements built once per database. drizzle builds a query's SQL on every call, and for the
// small queries every inbound message and every send runs, building cost more than running
// (bench:flow and bench:inbound profiles). A prepared statement with placeholders is built once
// and run with new values; drizzle prepares the same way on better-sqlite3 and D1.
//
// No `.limit(n)` in a statement built here (refused at build): drizzle binds the limit as a
// parameter, SQLite's planner reads a bound LIMIT's value and so marks the statement to be compiled
// again whenever that parameter is bound, and better-sqlite3 binds every parameter at every run.
// The guardian-by-phone lookup was compiled anew on each call: 51.5 µs of SQLite time per inbound
// SMS step, 9.9 µs without (bench:inbound's requests through app.fetch in one process). `.get()`
// takes the first row, which is what a limit of 1 asked for.
import { sql } from "drizzle-orm";
import type { Database } from "./database";

/** A named value supplied when a prepared statement runs. */
export const placeholder = (name: string) => sql.placeholder(name);

/** Wraps a statement builder so each database builds it once, on first use. */
export function preparedPerDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let statement = built.get(db);
    if (statement === undefined) {
      statement = build(db);
      refuseBoundLimit(statement);
      built.set(db, statement);
    }
    return statement;
  };
}

/** Throws for a drizzle statement whose SQL binds its LIMIT (see above). */
function refuseBoundLimit(statement: unknown): void {
  const text = (statement as { query?: { sql?: unknown } }).query?.sql;
  if (typeof text === "string" && /\blimit \?/i.test(text))
    throw new Error(
      `a statement prepared once may not bind its LIMIT (recompiled per run): ${text}`,
    );
}
