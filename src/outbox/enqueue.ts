// Plans outbox rows inside a unit of work: every outgoing message is a row before it is a call.
import { sql } from "drizzle-orm";
import { type Database, placeholder as p, preparedPerDatabase, schema } from "../../db";
import type { OutboxKind } from "../../db/schema";
import { type Attachment, type ReplyOption, smsSegmentsOf } from "../contracts";
import type { Secrets } from "../security";
import type { InlineSettlement } from "./inline-take";
import { outboundMessage } from "./outbound-message";
import type { UnitOfWork } from "./unit-of-work";

export interface OutboxDraft {
  schoolId: number | null;
  channel: string;
  address: string;
  kind: OutboxKind;
  /** Text to send; may hold placeholders such as {code} whose values travel sealed. */
  body: string;
  options?: ReplyOption[];
  /** Someone's own words the body quotes as written (see OutboundMessage.quoted). */
  quoted?: string[];
  /** Photos or documents sent with the text (public https URLs). */
  media?: Attachment[];
  /** Secret placeholder values, encrypted at rest and erased once sent. */
  secretValues?: Record<string, string>;
  ticketId?: number;
  /**
   * The ticket by its school number, for a ticket the same unit of work inserts (its id is not
   * known until then); used when ticketId is not given.
   */
  ticketNumber?: number;
  /**
   * The row carries the ticket's newest message (a staff reply the same unit inserts just before,
   * its id not known until then): the reply's delivery state is read through this link.
   */
  carriesNewestTicketMessage?: boolean;
  /** When the message may go (quiet hours); now when not given. */
  sendAt?: number;
}

/**
 * The outbox insert, built once per database: every step queues at least one row. A row a webhook
 * answers inline is inserted already settled (sent, or dead for an opted-out address).
 */
const outboxInsert = preparedPerDatabase((db) =>
  db
    .insert(schema.outbox)
    .values({
      schoolId: p("schoolId"),
      channel: p("channel"),
      address: p("address"),
      kind: p("kind"),
      body: p("body"),
      // Raw, so a missing list is SQL NULL (the JSON encoder would store the text "null").
      options: sql`${p("options")}`,
      quoted: sql`${p("quoted")}`,
      media: sql`${p("media")}`,
      sealed: p("sealed"),
      status: sql`${p("status")}`,
      attempts: sql`${p("attempts")}`,
      sentAt: p("sentAt"),
      lastError: p("lastError"),
      nextAttemptAt: sql`${p("sendAt")}`,
      ticketId: sql`coalesce(${p("ticketId")}, (select id from tickets
        where school_id = ${p("schoolId")} and number = ${p("ticketNumber")}))`,
      ticketMessageId: sql`(select max(id) from ticket_messages
        where ${p("carriesMessage")} = 1 and ticket_id = ${p("ticketId")})`,
      segments: p("segments"),
      createdAt: p("now"),
      updatedAt: p("now"),
    })
    .prepare(),
);

/** Plans one outbox row; its id joins `uow.outboxIds` once committed. */
export function planOutboxMessage(
  deps: { db: Database; secrets: Secrets; now: () => number },
  uow: UnitOfWork,
  draft: OutboxDraft,
): void {
  const now = deps.now();
  const values = {
    schoolId: draft.schoolId,
    channel: draft.channel,
    address: draft.address,
    kind: draft.kind,
    body: draft.body,
    options: draft.options?.length ? JSON.stringify(draft.options) : null,
    quoted: draft.quoted?.length ? JSON.stringify(draft.quoted) : null,
    media: draft.media?.length ? JSON.stringify(draft.media) : null,
    ticketId: draft.ticketId ?? null,
    ticketNumber: draft.ticketNumber ?? null,
    carriesMessage: draft.carriesNewestTicketMessage ? 1 : 0,
    sendAt: draft.sendAt ?? now,
    // A one-time code's placeholder is as long as the code, so the count holds once it is filled.
    segments:
      draft.channel === "sms"
        ? smsSegmentsOf({
            kind: draft.kind,
            text: draft.body,
            options: draft.options ?? [],
            ...(draft.quoted ? { quoted: draft.quoted } : {}),
          })
        : null,
    now,
  };
  const insert = outboxInsert(deps.db);
  uow.planOutboxInsert({
    channel: draft.channel,
    address: draft.address,
    kind: draft.kind,
    insert: (settled: InlineSettlement) =>
      insert.run({ ...values, ...(settled ? settledColumns(settled, now) : queued()) }),
    message: (outboxId) => outboundMessage(outboxId, draft, draft.secretValues ?? {}),
  });

  /** A row for the dispatcher; its secret values travel sealed until it is sent. */
  function queued() {
    const sealed = draft.secretValues
      ? deps.secrets.seal(JSON.stringify(draft.secretValues))
      : null;
    return { status: "pending", attempts: 0, sentAt: null, lastError: null, sealed };
  }
}

/** A row a webhook answered inline: settled as it is written, its secret values never stored. */
function settledColumns(settled: "sent" | "dead", now: number) {
  return {
    status: settled,
    attempts: 1,
    sentAt: settled === "sent" ? now : null,
    lastError: settled === "dead" ? "recipient opted out" : null,
    sealed: null,
  };
}
