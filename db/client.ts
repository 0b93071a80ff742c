// Node only: opens the embedded SQLite database (better-sqlite3, WAL) and applies the drizzle-kit
// migrations. The Durable Object's counterpart is durable-object.ts.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { startCheckpointer } from "./checkpointer";
import type { Database } from "./database";
import * as schema from "./schema";

/** A database this module opened: its connection is better-sqlite3's, with Node-only powers. */
export type NodeDatabase = Database & { $client: BetterSqlite3.Database };

/** True for a database this module opened (not a Durable Object's, nor a stand-in for one). */
export const isNodeDatabase = (db: Database): db is NodeDatabase =>
  typeof (db.$client as Partial<BetterSqlite3.Database>).pragma === "function";

/** The better-sqlite3 connection under a database this module opened. */
export const nodeClientOf = (db: Database) => db.$client as BetterSqlite3.Database;

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "migrations");

/** Opens (creating if needed) the SQLite file at `path`, or an in-memory database for ":memory:". */
export function openSqliteDatabase(path: string): NodeDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const client = new BetterSqlite3(path);
  // WAL lets the staff API read while the inbound road writes; NORMAL sync is durable across
  // process crashes in WAL mode (only an OS crash can lose the last commits).
  client.pragma("journal_mode = WAL");
  client.pragma("synchronous = NORMAL");
  // In WAL mode with NORMAL sync, checkpoints are where the fsyncs happen. A file database is
  // checkpointed by a worker thread (checkpointer.ts) so that no commit stalls for one; SQLite's own
  // checkpoint inside a commit stays as the backstop should the log still pass 16 MB (4000 pages).
  client.pragma("wal_autocheckpoint = 4000");
  client.pragma("foreign_keys = ON");
  client.pragma("busy_timeout = 5000");
  cacheStatements(client);
  const db = drizzle({ client, schema });
  migrate(db, { migrationsFolder });
  if (path !== ":memory:") stopCheckpointsOnClose(client, startCheckpointer(path));
  return db as unknown as NodeDatabase;
}

/** Per file database: stops its checkpointer; settles when the worker has closed the file. */
const checkpointerStops = new WeakMap<BetterSqlite3.Database, () => Promise<void>>();

function stopCheckpointsOnClose(client: BetterSqlite3.Database, stop: () => Promise<void>): void {
  checkpointerStops.set(client, stop);
  const close = client.close.bind(client);
  client.close = () => {
    void stop();
    return close();
  };
}

/**
 * Closes the database once no other thread of this process has its file open: the checkpointer's
 * worker closes its connection first, so this one is the last, and its close checkpoints the log
 * and removes the -wal and -shm files then and there. (Closed at the same moment, each connection
 * can see the other still open and leave them.) Afterwards the file may be copied, moved or removed.
 */
export async function closeDatabase(db: Database): Promise<void> {
  const client = nodeClientOf(db);
  await checkpointerStops.get(client)?.();
  client.close();
}

/**
 * drizzle asks better-sqlite3 to compile every query anew, and compiling cost more than running
 * (npm run bench:flow profile). Queries of one shape have the same SQL text, and a compiled
 * statement may be run again with other parameters, so compiled statements are kept by text.
 */
function cacheStatements(client: BetterSqlite3.Database, limit = 1000): void {
  const compile = client.prepare.bind(client);
  const compiled = new Map<string, BetterSqlite3.Statement>();
  client.prepare = ((source: string) => {
    let statement = compiled.get(source);
    if (!statement) {
      statement = compile(source);
      // The oldest entry goes first; shapes are few, so this is a bound, not an eviction policy.
      if (compiled.size >= limit) compiled.delete(compiled.keys().next().value as string);
      compiled.set(source, statement);
    }
    return statement;
  }) as typeof client.prepare;
}
