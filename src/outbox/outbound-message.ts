// An outbox row as a channel sends it: the secret values (one-time codes) filled into the text.
import type { schema } from "../../db";
import type { Attachment, Channel, OutboundMessage, ReplyOption } from "../contracts";
import type { Secrets } from "../security";

/** An outbox row as read from the database. */
export type OutboxRow = typeof schema.outbox.$inferSelect;

/** What a message is made of, whether read back from its row or still a draft in the step. */
interface MessageFields {
  channel: string;
  address: string;
  kind: string;
  /** Text that may hold placeholders such as {code}. */
  body: string;
  options?: ReplyOption[] | null;
  quoted?: string[] | null;
  media?: Attachment[] | null;
}

/** Fills {placeholders} in an outbox body from its secret values. */
export function fillPlaceholders(body: string, values: Record<string, string>): string {
  return body.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The message a channel renders for outbox row `outboxId`, its placeholders filled. */
export function outboundMessage(
  outboxId: number,
  fields: MessageFields,
  values: Record<string, string>,
  lastInboundAt?: number,
): OutboundMessage {
  return {
    outboxId,
    channel: fields.channel as Channel["name"],
    address: fields.address,
    kind: fields.kind,
    text: fillPlaceholders(fields.body, values),
    ...(fields.options?.length ? { options: fields.options } : {}),
    ...(fields.quoted?.length ? { quoted: fields.quoted } : {}),
    ...(fields.media?.length ? { media: fields.media } : {}),
    ...(lastInboundAt !== undefined ? { lastInboundAt } : {}),
  };
}

/** A stored row's message: its sealed values are unsealed to fill the text. */
export function outboundMessageOf(
  row: OutboxRow,
  secrets: Secrets,
  lastInboundAt?: number,
): OutboundMessage {
  const values = row.sealed
    ? (JSON.parse(secrets.unseal(row.sealed)) as Record<string, string>)
    : {};
  return outboundMessage(row.id, row, values, lastInboundAt);
}
