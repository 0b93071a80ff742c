// The one helper for multi-statement atomic writes: all statements commit together or none do.
// On better-sqlite3 this is a transaction; on a Durable Object it is `transactionSync` (the
// statements are built before the write starts, so no transaction ever waits on network IO).
import { type Database, type WriteResult, writeResultOf } from "./database";

export type { WriteResult } from "./database";

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
    const client = db.$client;
    runAll = client.transaction((writes: PlannedWrite[]) =>
      writes.map((write) => {
        const result = writeResultOf(client, write.query.run());
        if (write.guard && result.changes === 0) throw new WriteConflict(write.guard);
        return result;
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

/** Commits units of work; on Node, those of one event-loop turn share a transaction (group-commit.ts). */
export interface GroupCommit {
  /** Commits `writes` atomically, alone or with other units. */
  commit(writes: PlannedWrite[]): Promise<void>;
}

/** Each unit in its own transaction: the Durable Object's way, and Node's without group commit. */
export function commitEachAlone(db: Database): GroupCommit {
  return { commit: (writes) => commitAtomically(db, writes) };
}
