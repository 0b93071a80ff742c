// An outbox row as a channel sends it: the sealed values (one-time codes) filled into the text.
import type { schema } from "../../db";
import type { Channel, OutboundMessage } from "../contracts";
import type { Secrets } from "../security";
import { fillPlaceholders } from "./enqueue";

/** An outbox row as read from the database. */
export type OutboxRow = typeof schema.outbox.$inferSelect;

export function outboundMessageOf(
  row: OutboxRow,
  secrets: Secrets,
  lastInboundAt?: number,
): OutboundMessage {
  const values = row.sealed
    ? (JSON.parse(secrets.unseal(row.sealed)) as Record<string, string>)
    : {};
  return {
    outboxId: row.id,
    channel: row.channel as Channel["name"],
    address: row.address,
    kind: row.kind,
    text: fillPlaceholders(row.body, values),
    ...(row.options ? { options: row.options } : {}),
    ...(row.media?.length ? { media: row.media } : {}),
    ...(lastInboundAt !== undefined ? { lastInboundAt } : {}),
  };
}
