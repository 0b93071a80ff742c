// Opt-outs: an address that sent STOP, or that blocked us at the provider, receives nothing but the
// confirmation until it opts back in. Kept on the address's channel identity row.
import { type Database, schema } from "../../db";
import type { UnitOfWork } from "./unit-of-work";

const { channelIdentities } = schema;

/** A chat address on a channel (an outbox row will do). */
export type Contact = { channel: string; address: string };

function upsertOptOut(db: Database, contact: Contact, optedOutAt: number | null, now: number) {
  return db
    .insert(channelIdentities)
    .values({ channel: contact.channel, address: contact.address, optedOutAt, createdAt: now })
    .onConflictDoUpdate({
      target: [channelIdentities.channel, channelIdentities.address],
      set: { optedOutAt },
    });
}

/** Plans the opt-out (or opt-in) into a step's atomic write. */
export function planOptOut(
  db: Database,
  uow: UnitOfWork,
  contact: Contact,
  optedOut: boolean,
  now: number,
): void {
  uow.plan(upsertOptOut(db, contact, optedOut ? now : null, now));
}

export async function setOptedOut(
  db: Database,
  contact: Contact,
  optedOut: boolean,
  now: number,
): Promise<void> {
  await upsertOptOut(db, contact, optedOut ? now : null, now);
}

/**
 * Asked for every message on carrier-keyword channels and every send: plain SQL through the
 * connection's statement cache rather than a query built per call (bench:inbound profile).
 */
export async function isOptedOut(db: Database, contact: Contact): Promise<boolean> {
  const row = db.$client
    .prepare(
      `select 1 from channel_identities
        where channel = ? and address = ? and opted_out_at is not null`,
    )
    .get(contact.channel, contact.address);
  return row !== undefined;
}
