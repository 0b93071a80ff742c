// The dispatcher's statements, built once per database (db/prepared.ts): every send claims and
// settles a row, and building those queries per call cost more than running them.
import { and, eq, max, sql } from "drizzle-orm";
import { type Database, placeholder as p, preparedPerDatabase, schema } from "../../db";
import type { OutboxStatus } from "../../db/schema";

const { outbox, inboundMessages } = schema;

/**
 * One address's messages leave in order: a row waits while an earlier row to the same address
 * waits for its retry or was put back (by the pace, a 429: marked in the row, so a dispatcher
 * started since knows it too), or is held by a live lease (this dispatcher's own included: a
 * webhook's inline send and the dispatcher's loop are two sends in flight at once). A row scheduled
 * for later at insert (never tried nor put back, due later: quiet hours, a digest) holds nothing
 * back. @now is a parameter.
 */
const EARLIER_IN_LINE = `"earlier"."channel" = "outbox"."channel" and "earlier"."address" = "outbox"."address"
    and "earlier"."id" < "outbox"."id" and "earlier"."status" in ('pending', 'sending')`;
const HELD_BACK = `("earlier"."status" = 'pending' and ("earlier"."attempts" > 0 or "earlier"."put_back")
           and "earlier"."next_attempt_at" > @now)
      or ("earlier"."status" = 'sending' and "earlier"."lease_expires_at" > @now)`;

/** A batch's due rows: an earlier row due now is in the same batch, ahead (dueIds walks in id order). */
export const NOT_BEHIND_AN_EARLIER_MESSAGE = `not exists (select 1 from "outbox" as "earlier"
  where ${EARLIER_IN_LINE}
    and (${HELD_BACK}))`;

/**
 * A claim's rows: besides the above, an earlier row due now holds a row back unless it is claimed
 * in the same statement (listed in @ids; SQLite reads the rows before it updates any): a webhook's
 * inline send of its step's reply never goes ahead of an earlier reply still waiting for the loop.
 */
const NOT_BEHIND_AN_UNCLAIMED_MESSAGE = `not exists (select 1 from "outbox" as "earlier"
  where ${EARLIER_IN_LINE}
    and (${HELD_BACK}
      or ("earlier"."id" not in (select value from json_each(@ids))
        and (("earlier"."status" = 'pending' and "earlier"."next_attempt_at" <= @now)
          or ("earlier"."status" = 'sending' and "earlier"."lease_expires_at" <= @now)))))`;

/** The claim's condition for drizzle, with @now and @ids as placeholders. */
const notBehindAnUnclaimedMessage = sql.join(
  NOT_BEHIND_AN_UNCLAIMED_MESSAGE.split(/(@now|@ids)/).map((part) =>
    part === "@now" ? p("now") : part === "@ids" ? p("ids") : sql.raw(part),
  ),
);

/**
 * The rows due for a batch, in id order: pending ones due now, and ones whose dispatcher's lease ran
 * out, none behind an earlier message. Each status is walked in id order on its index and the walk
 * stops at the batch size (one query with an OR read and sorted every due row: ~45 ms per batch
 * with 50,000 pending). The walk stops by leaving the iteration rather than by a bound LIMIT, which
 * SQLite would recompile the statement for at every run (db/prepared.ts).
 */
export function dueIds(db: Database, params: { now: number; limit: number }): number[] {
  const { pending, expired } = dueStatements(db);
  const { limit, ...bound } = params;
  return [...firstIds(pending.iterate(bound), limit), ...firstIds(expired.iterate(bound), limit)]
    .sort((a, b) => a - b)
    .slice(0, limit);
}

/** The ids of the first `limit` rows; leaving the loop early resets the statement. */
function firstIds(rows: Iterable<{ id: number }>, limit: number): number[] {
  const ids: number[] = [];
  if (limit <= 0) return ids;
  for (const row of rows) {
    ids.push(row.id);
    if (ids.length === limit) break;
  }
  return ids;
}

export const dueStatements = preparedPerDatabase((db) => {
  const dueWith = (condition: string) =>
    db.$client.prepare<{ now: number }, { id: number }>(
      `select id from outbox as "outbox"
        where ${condition} and ${NOT_BEHIND_AN_EARLIER_MESSAGE}
        order by id`,
    );
  return {
    pending: dueWith("status = 'pending' and next_attempt_at <= @now"),
    expired: dueWith("status = 'sending' and lease_expires_at <= @now"),
  };
});

/**
 * Claims the listed rows that are still due (pending and due, or held by a lease that ran out) and
 * not behind an earlier message left out of the claim, under this dispatcher's lease. The unary `+` keeps SQLite from
 * reading the status index (every pending and sending row: a broadcast's 50,000) instead of looking
 * up the listed ids by primary key.
 */
export const claimStatement = preparedPerDatabase((db) =>
  db
    .update(outbox)
    .set({
      status: "sending",
      leaseOwner: sql`${p("owner")}`,
      leaseExpiresAt: sql`${p("leaseUntil")}`,
      attempts: sql`${outbox.attempts} + 1`,
      putBack: false,
      updatedAt: sql`${p("now")}`,
    })
    .where(
      sql`${outbox.id} in (select value from json_each(${p("ids")}))
        and ((+${outbox.status} = 'pending' and ${outbox.nextAttemptAt} <= ${p("now")})
          or (+${outbox.status} = 'sending' and ${outbox.leaseExpiresAt} <= ${p("now")}))
        and ${notBehindAnUnclaimedMessage}`,
    )
    .returning()
    .prepare(),
);

/**
 * Records how a send ended, if this dispatcher still holds the row's lease. Columns given as null
 * keep their value; a finished row (anything but pending) loses its sealed values.
 */
export const settleStatement = preparedPerDatabase((db) =>
  db
    .update(outbox)
    .set({
      status: sql`${p("status")}`,
      attempts: sql`coalesce(${p("attempts")}, ${outbox.attempts})`,
      nextAttemptAt: sql`coalesce(${p("nextAttemptAt")}, ${outbox.nextAttemptAt})`,
      putBack: sql`coalesce(${p("putBack")}, ${outbox.putBack})`,
      providerMessageId: sql`coalesce(${p("providerMessageId")}, ${outbox.providerMessageId})`,
      lastError: sql`coalesce(${p("lastError")}, ${outbox.lastError})`,
      sentAt: sql`coalesce(${p("sentAt")}, ${outbox.sentAt})`,
      sealed: sql`case when ${p("status")} = 'pending' then ${outbox.sealed} else null end`,
      leaseOwner: null,
      leaseExpiresAt: null,
      updatedAt: sql`${p("now")}`,
    })
    .where(
      and(eq(outbox.id, p("id")), eq(outbox.leaseOwner, p("owner")), eq(outbox.status, "sending")),
    )
    .prepare(),
);

/**
 * Where one row goes. Looked up id by id: a step queues one or two rows, and `id in (select value
 * from json_each(?))` parsed the list and built a temporary index for them (33 µs per Telegram step
 * in the bench:inbound server; 15 µs by primary key, most of it the read transaction's own).
 */
export const addressOfStatement = preparedPerDatabase((db) =>
  db
    .select({ id: outbox.id, channel: outbox.channel, address: outbox.address })
    .from(outbox)
    .where(eq(outbox.id, p("id")))
    .prepare(),
);

/**
 * The rows to one address queued before @before and due now (pending and due, or held by a lease
 * that ran out): an inline send takes them along, ahead of its own, instead of waiting behind them.
 */
export const earlierDueStatement = preparedPerDatabase((db) =>
  db.$client.prepare<
    { channel: string; address: string; before: number; now: number },
    { id: number; channel: string; address: string }
  >(
    `select id, channel, address from outbox
      where channel = @channel and address = @address and id < @before
        and status in ('pending', 'sending')
        and ((status = 'pending' and next_attempt_at <= @now)
          or (status = 'sending' and lease_expires_at <= @now))`,
  ),
);

/** When the address last wrote to us on the channel (for a channel's customer-service window). */
export const lastInboundStatement = preparedPerDatabase((db) =>
  db
    .select({ at: max(inboundMessages.receivedAt) })
    .from(inboundMessages)
    .where(
      and(eq(inboundMessages.channel, p("channel")), eq(inboundMessages.address, p("address"))),
    )
    .prepare(),
);

/** A sent row a receipt has just marked as never delivered, found as the receipt names it. */
export const undeliveredRowStatement = preparedPerDatabase((db) =>
  db
    .select()
    .from(outbox)
    .where(
      sql`${outbox.channel} = ${p("channel")}
        and (${outbox.providerMessageId} = ${p("providerMessageId")} or ${outbox.id} = ${p("outboxId")})
        and ${outbox.status} in ('failed', 'undelivered')`,
    )
    .prepare(),
);

/** What a settle may change on a row. */
export interface Settlement {
  status: OutboxStatus;
  attempts?: number;
  nextAttemptAt?: number;
  /** Put back unsent (the pace, a 429): later rows to the address wait behind it. */
  putBack?: boolean;
  providerMessageId?: string;
  lastError?: string;
  sentAt?: number;
}
