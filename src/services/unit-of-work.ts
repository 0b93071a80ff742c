// Collects the writes one step plans (domain changes, outbox rows) so they commit as one.
import { commitAtomically, type Database, type PlannedWrite, type WriteResult } from "../../db";

export class UnitOfWork {
  private readonly writes: PlannedWrite[] = [];
  /** Ids of the outbox rows this unit queued, known once it has committed. */
  readonly outboxIds: number[] = [];

  plan(query: PlannedWrite["query"], options: Omit<PlannedWrite, "query"> = {}): void {
    this.writes.push({ query, ...options });
  }

  /** Plans an insert and reports the new row's id once committed. */
  planInsert(query: PlannedWrite["query"], onId: (id: number) => void): void {
    this.plan(query, { onCommitted: (result: WriteResult) => onId(result.lastInsertRowid) });
  }

  async commit(db: Database): Promise<void> {
    await commitAtomically(db, this.writes);
  }
}
