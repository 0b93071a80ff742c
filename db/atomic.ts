// The one helper for multi-statement atomic writes: all statements commit together or none do.
// On better-sqlite3 this is a transaction; on D1 it becomes `db.batch` (the statements are built
// before the write starts, so no transaction ever waits on network IO).
import type { Database } from "./client";

/** A statement built but not yet run: any drizzle insert/update/delete builder. */
export interface PlannedWrite {
  query: { run(): unknown };
  /**
   * A guarded (conditional) write: when it changes no row, the whole write is abandoned with a
   * WriteConflict naming `guard`. Optimistic version checks and guardrails use this.
   */
  guard?: string;
  /** Told the row count and new row id once the whole write has committed. */
  onCommitted?: (result: WriteResult) => void;
}

export interface WriteResult {
  changes: number;
  lastInsertRowid: number;
}

/** A guarded write changed nothing: someone else got there first. Reload and retry. */
export class WriteConflict extends Error {
  constructor(readonly guard: string) {
    super(`conditional write "${guard}" changed no row`);
    this.name = "WriteConflict";
  }
}

type RunAll = (writes: PlannedWrite[]) => WriteResult[];

/**
 * better-sqlite3 builds a transaction's wrapper functions on every `client.transaction()` call, and
 * drizzle's `db.transaction()` makes that call plus a transaction object per commit — together more
 * than the statements of a small step cost (bench:flow profile). The planned writes are already
 * bound to the connection, so one native transaction function per connection serves every commit.
 */
const runners = new WeakMap<Database["$client"], RunAll>();

/** The connection's transaction function over planned writes (a savepoint when nested). */
export function atomicRunner(db: Database): RunAll {
  let runAll = runners.get(db.$client);
  if (!runAll) {
    runAll = db.$client.transaction((writes: PlannedWrite[]) =>
      writes.map((write) => {
        const result = write.query.run() as { changes: number; lastInsertRowid: number | bigint };
        if (write.guard && result.changes === 0) throw new WriteConflict(write.guard);
        return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
      }),
    );
    runners.set(db.$client, runAll);
  }
  return runAll;
}

/** Tells each write of a committed transaction its result. */
export function reportCommitted(writes: PlannedWrite[], results: WriteResult[]): void {
  writes.forEach((write, index) => {
    const result = results[index];
    if (result) write.onCommitted?.(result);
  });
}

export async function commitAtomically(db: Database, writes: PlannedWrite[]): Promise<void> {
  if (writes.length === 0) return;
  reportCommitted(writes, atomicRunner(db)(writes));
}
