// Replies answered inside a webhook's own HTTP response (Twilio's TwiML) instead of by an API call.
// The road runs this inside the step's own write (a transaction within it), so the rows are queued
// and recorded as sent in one commit: a claim and a settle committed apart cost a WAL write each,
// per inbound message (bench:inbound profile).
import { getTableColumns, sql } from "drizzle-orm";
import { type Database, placeholder as p, preparedPerDatabase, schema } from "../../db";
import type { OutboundMessage } from "../contracts";
import type { Secrets } from "../security";
import { outboundMessageOf } from "./outbound-message";

const { outbox } = schema;

/**
 * The listed rows still pending and due, to (@channel, @address), each with whether its address
 * has opted out. A row with an earlier one to the same address still unsent (outside the list) is
 * left to the dispatcher, which sends in order: an answer in the webhook's response would arrive
 * first. By primary key (the `+` keeps SQLite off the status index, which holds every pending row
 * of a broadcast).
 */
const inlineCandidates = preparedPerDatabase((db) =>
  db
    .select({
      ...getTableColumns(outbox),
      optedOut: sql<number>`exists (select 1 from channel_identities
        where channel_identities.channel = ${outbox.channel}
          and channel_identities.address = ${outbox.address}
          and channel_identities.opted_out_at is not null)`,
    })
    .from(outbox)
    .where(
      sql`${outbox.id} in (select value from json_each(${p("ids")}))
        and +${outbox.status} = 'pending' and ${outbox.nextAttemptAt} <= ${p("now")}
        and ${outbox.channel} = ${p("channel")} and ${outbox.address} = ${p("address")}
        and not exists (select 1 from ${outbox} as "earlier"
          where "earlier"."channel" = ${outbox.channel} and "earlier"."address" = ${outbox.address}
            and "earlier"."id" < ${outbox.id} and "earlier"."status" in ('pending', 'sending')
            and "earlier"."id" not in (select value from json_each(${p("ids")})))`,
    )
    .orderBy(outbox.id)
    .prepare(),
);

/** Records the taken rows as sent, or dead when their address has opted out; codes are erased. */
const recordTaken = preparedPerDatabase((db) =>
  db
    .update(outbox)
    .set({
      status: sql`${p("status")}`,
      attempts: sql`${outbox.attempts} + 1`,
      sentAt: sql`${p("sentAt")}`,
      lastError: sql`coalesce(${p("lastError")}, ${outbox.lastError})`,
      sealed: null,
      updatedAt: sql`${p("now")}`,
    })
    .where(sql`${outbox.id} in (select value from json_each(${p("ids")}))`)
    .prepare(),
);

interface TakeRequest {
  /** The address that wrote: only rows to it ride in the webhook's response. */
  to: { channel: string; address: string };
  /** The rows the step queued. */
  ids: readonly number[];
  now: number;
}

const takeTransaction = preparedPerDatabase((db) =>
  db.$client.transaction(({ to, ids, now }: TakeRequest, secrets: Secrets) => {
    const rows = inlineCandidates(db).all({
      ids: JSON.stringify(ids),
      now,
      channel: to.channel,
      address: to.address,
    });
    // Opt-out confirmations go to an opted-out address; nothing else does.
    const sendable = rows.filter((row) => row.kind === "opt_out" || !row.optedOut);
    const suppressed = rows.filter((row) => !sendable.includes(row));
    // Built before the rows' sealed values are erased; an unseal failure rolls the take back.
    const messages = sendable.map(({ optedOut: _, ...row }) => outboundMessageOf(row, secrets));
    const record = (taken: typeof rows, status: "sent" | "dead", lastError: string | null) => {
      if (taken.length === 0) return;
      recordTaken(db).run({
        ids: JSON.stringify(taken.map((row) => row.id)),
        status,
        sentAt: status === "sent" ? now : null,
        lastError,
        now,
      });
    };
    record(sendable, "sent", null);
    record(suppressed, "dead", "recipient opted out");
    return { messages, sent: sendable.length, suppressed: suppressed.length };
  }),
);

/**
 * Takes the given rows for a webhook to answer inline and returns them ready to render. Rows not
 * taken (another address, not due, behind an earlier message) stay for the dispatcher's loop.
 */
export function takeForInlineReply(
  db: Database,
  secrets: Secrets,
  request: TakeRequest,
): { messages: OutboundMessage[]; sent: number; suppressed: number } {
  if (request.ids.length === 0) return { messages: [], sent: 0, suppressed: 0 };
  return takeTransaction(db)(request, secrets);
}
