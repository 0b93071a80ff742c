// Collects the writes one step plans (domain changes, outbox rows) so they commit as one.
import { commitAtomically, type Database, type PlannedWrite, type WriteResult } from "../../db";

export class UnitOfWork {
  private readonly writes: PlannedWrite[] = [];
  /** Ids of the outbox rows this unit queued, known once it has committed. */
  readonly outboxIds: number[] = [];
  /** The same ids as the inserts run, inside the write (for work planned after them). */
  private readonly outboxIdsWritten: number[] = [];

  plan(query: PlannedWrite["query"], options: Omit<PlannedWrite, "query"> = {}): void {
    this.writes.push({ query, ...options });
  }

  /** Plans an insert and reports the new row's id once committed. */
  planInsert(query: PlannedWrite["query"], onId: (id: number) => void): void {
    this.plan(query, { onCommitted: (result: WriteResult) => onId(result.lastInsertRowid) });
  }

  /** Plans an outbox row's insert; its id joins `outboxIds` once committed. */
  planOutboxInsert(query: PlannedWrite["query"]): void {
    this.plan(
      {
        run: () => {
          const result = query.run() as { lastInsertRowid: number | bigint };
          this.outboxIdsWritten.push(Number(result.lastInsertRowid));
          return result;
        },
      },
      { onCommitted: (result) => this.outboxIds.push(result.lastInsertRowid) },
    );
  }

  /**
   * Plans work that runs inside the same write, after everything planned so far, given the ids of
   * the outbox rows inserted before it (a webhook answering them inline records them in the same
   * commit as the step that queued them).
   */
  planAfterOutboxInserts(run: (outboxIds: readonly number[]) => void): void {
    this.plan({
      run: () => {
        run([...this.outboxIdsWritten]);
        return { changes: 1, lastInsertRowid: 0 };
      },
    });
  }

  async commit(db: Database): Promise<void> {
    await commitAtomically(db, this.writes);
  }
}
