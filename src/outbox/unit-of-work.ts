// Collects the writes one step plans (domain changes, outbox rows) so they commit as one.
import {
  commitAtomically,
  type Database,
  type GroupCommit,
  type PlannedWrite,
  type WriteResult,
} from "../../db";
import type { OutboxKind } from "../../db/schema";
import type { OutboundMessage } from "../contracts";
import type { InlineSettlement } from "./inline-take";

/** An outbox row planned by planOutboxMessage, inserted when the unit commits. */
export interface PlannedOutboxRow {
  channel: string;
  address: string;
  kind: OutboxKind;
  /** Inserts the row, queued for the dispatcher (null) or already settled by an inline answer. */
  insert(settled: InlineSettlement): { lastInsertRowid: number | bigint };
  /** The message as a channel renders it, codes filled in. */
  message(outboxId: number): OutboundMessage;
}

/** Decides, inside the write, how a webhook's inline answer settles a row (null: not answered). */
export type InlineAnswer = (row: PlannedOutboxRow) => InlineSettlement;

export class UnitOfWork {
  private readonly writes: PlannedWrite[] = [];
  /** Ids of the outbox rows this unit queued, known once it has committed. */
  readonly outboxIds: number[] = [];
  /** The rows a webhook answered inline (inserted as sent), known once committed. */
  readonly answeredInline: OutboundMessage[] = [];
  /** How many rows the inline answer recorded dead (an opted-out address), once committed. */
  suppressedInline = 0;
  private inlineAnswer: InlineAnswer | undefined;

  plan(query: PlannedWrite["query"], options: Omit<PlannedWrite, "query"> = {}): void {
    this.writes.push({ query, ...options });
  }

  /** Plans an insert and reports the new row's id once committed. */
  planInsert(query: PlannedWrite["query"], onId: (id: number) => void): void {
    this.plan(query, { onCommitted: (result: WriteResult) => onId(result.lastInsertRowid) });
  }

  /** Plans an outbox row's insert; its id joins `outboxIds` once committed. */
  planOutboxInsert(row: PlannedOutboxRow): void {
    let settled: InlineSettlement = null;
    this.plan(
      {
        run: () => {
          // Asked as the row is written, after the rows before it: an earlier unsent one holds it.
          settled = this.inlineAnswer?.(row) ?? null;
          return row.insert(settled);
        },
      },
      {
        onCommitted: ({ lastInsertRowid: id }) => {
          this.outboxIds.push(id);
          if (settled === "sent") this.answeredInline.push(row.message(id));
          if (settled === "dead") this.suppressedInline += 1;
        },
      },
    );
  }

  /** How many of the committed outbox rows wait for the dispatcher (not settled inline). */
  get leftForDispatcher(): number {
    return this.outboxIds.length - this.answeredInline.length - this.suppressedInline;
  }

  /**
   * Lets a webhook answer this unit's outbox rows in its own response: `answer` decides for each
   * row, inside the write, as it is inserted (whenever it was planned).
   */
  answerInline(answer: InlineAnswer): void {
    this.inlineAnswer = answer;
  }

  /** Commits every planned write or none, in a transaction of its own. */
  async commit(db: Database): Promise<void> {
    await commitAtomically(db, this.writes);
  }

  /** Commits every planned write or none, in a transaction `group` shares with other units. */
  async commitIn(group: GroupCommit): Promise<void> {
    await group.commit(this.writes);
  }
}
