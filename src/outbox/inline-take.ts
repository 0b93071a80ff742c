// Replies answered inside a webhook's own HTTP response (Twilio's TwiML) instead of by an API call.
// The decision is made inside the step's write, row by row as the outbox rows are inserted, so a
// reply the webhook answers is inserted already sent: one insert, against an insert, a read and an
// update that touched the pending indexes twice (bench:inbound profile: ~11 WAL pages per step).
import { type Database, preparedPerDatabase } from "../../db";
import type { OutboxKind } from "../../db/schema";

/** How an inline answer settles a row as it is inserted; null leaves it to the dispatcher. */
export type InlineSettlement = "sent" | "dead" | null;

/** The statement behind inlineSettlement (exported for query-plan tests). */
export const INLINE_SETTLEMENT_SQL = `select
  exists(select 1 from outbox
    where channel = @channel and address = @address and status in ('pending', 'sending')) as behind,
  exists(select 1 from channel_identities
    where channel = @channel and address = @address and opted_out_at is not null) as optedOut`;

/**
 * Whether (@channel, @address) has an unsent row (pending or sending: the partial index holds only
 * those), and whether it has opted out. Plain SQL, one statement, like the road's step reads.
 */
const addressState = preparedPerDatabase((db) =>
  db.$client.prepare<{ channel: string; address: string }, { behind: number; optedOut: number }>(
    INLINE_SETTLEMENT_SQL,
  ),
);

export interface InlineCandidate {
  channel: string;
  address: string;
  kind: OutboxKind;
}

/**
 * How a row about to be inserted for the webhook's answer settles. An earlier message to the
 * address still unsent leaves it to the dispatcher, which sends in order (an answer in the
 * webhook's response would arrive first). An opted-out address gets an opt-out confirmation and
 * nothing else: any other row is recorded dead in the same write.
 */
export function inlineSettlement(db: Database, row: InlineCandidate): InlineSettlement {
  const state = addressState(db).get({ channel: row.channel, address: row.address });
  if (!state || state.behind) return null;
  return state.optedOut && row.kind !== "opt_out" ? "dead" : "sent";
}

/**
 * The inline answer of a webhook that `to` wrote to: only rows to that address, and only while the
 * webhook still waits for them (it answers empty once its budget has run out).
 */
export function inlineAnswerTo(
  db: Database,
  to: { channel: string; address: string },
  waiting: () => boolean,
): (row: InlineCandidate) => InlineSettlement {
  return (row) =>
    row.channel === to.channel && row.address === to.address && waiting()
      ? inlineSettlement(db, row)
      : null;
}
