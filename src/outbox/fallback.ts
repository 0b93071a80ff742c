// Where a message goes when its channel permanently cannot carry it: the guardian's next channel
// in their order (WhatsApp → Telegram → SMS …), or failing that an SMS to the same phone number.
// Never to an opted-out address: an opt-out is the person's choice, not a failure to route around.
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { type Database, placeholder as p, preparedPerDatabase, schema } from "../../db";
import type { OutboxKind } from "../../db/schema";
import type { Channel } from "../contracts";
import { type Contact, isOptedOut } from "./opt-outs";

const { channelIdentities, guardians } = schema;

/** The channel an SMS-able phone number falls back to when no other channel of the guardian will. */
export const PHONE_FALLBACK_CHANNEL = "sms";

/**
 * Messages meant for the guardian wherever they are. Conversation replies and codes belong to the
 * chat they answer (a code must reach the address that asked for it), so they only ever move to an
 * SMS to the very same number.
 */
const FOLLOWS_THE_GUARDIAN: ReadonlySet<OutboxKind> = new Set([
  "announcement",
  "staff_reply",
  "alert",
  "school_event",
]);

const PHONE = /^\+\d{6,15}$/;

const guardianOfAddress = preparedPerDatabase((db) =>
  db
    .select({ guardianId: channelIdentities.guardianId, preferences: guardians.preferences })
    .from(channelIdentities)
    .innerJoin(guardians, eq(guardians.id, channelIdentities.guardianId))
    .where(
      and(eq(channelIdentities.channel, p("channel")), eq(channelIdentities.address, p("address"))),
    )
    .prepare(),
);

/** The guardian's verified addresses, most recently verified first, opted-out ones left out. */
const verifiedAddressesOf = preparedPerDatabase((db) =>
  db
    .select({ channel: channelIdentities.channel, address: channelIdentities.address })
    .from(channelIdentities)
    .where(
      and(
        eq(channelIdentities.guardianId, p("guardianId")),
        isNotNull(channelIdentities.verifiedAt),
        sql`${channelIdentities.optedOutAt} is null`,
      ),
    )
    .orderBy(desc(channelIdentities.verifiedAt), desc(channelIdentities.id))
    .prepare(),
);

/** A guardian's channels in the order they want them: their chosen order, then by recency. */
export function inPreferredOrder<T extends { channel: string }>(
  addresses: T[],
  preferences: Record<string, unknown> | null | undefined,
): T[] {
  const chosen = Array.isArray(preferences?.channelOrder)
    ? (preferences.channelOrder as unknown[]).filter((c): c is string => typeof c === "string")
    : [];
  const rank = (channel: string) => {
    const at = chosen.indexOf(channel);
    return at === -1 ? chosen.length : at;
  };
  // Array sort is stable: within one rank the recency order stays.
  return [...addresses].sort((a, b) => rank(a.channel) - rank(b.channel));
}

type FailedRow = Contact & { kind: OutboxKind };

/**
 * The address to try next after `row` failed for good on its channel, or null when there is
 * none. The candidates form one list: the guardian's channels in their order (only for messages
 * that follow the guardian), then an SMS to the same number. The next usable one after the failed
 * address is chosen, so a chain of fallbacks only moves forward and always ends.
 */
export async function fallbackTarget(
  db: Database,
  row: FailedRow,
  channelsOn: ReadonlyMap<string, Channel>,
): Promise<Contact | null> {
  const candidates: Contact[] = [];
  if (FOLLOWS_THE_GUARDIAN.has(row.kind)) {
    const owner = await guardianOfAddress(db).get({ channel: row.channel, address: row.address });
    if (owner?.guardianId != null) {
      const verified = await verifiedAddressesOf(db).all({ guardianId: owner.guardianId });
      candidates.push(...inPreferredOrder(verified, owner.preferences));
    }
  }
  const same = (a: Contact, b: Contact) => a.channel === b.channel && a.address === b.address;
  const sameNumber = { channel: PHONE_FALLBACK_CHANNEL, address: row.address };
  if (PHONE.test(row.address) && !candidates.some((c) => same(c, sameNumber))) {
    candidates.push(sameNumber);
  }
  const failedAt = candidates.findIndex((c) => same(c, row));
  for (const candidate of candidates.slice(failedAt + 1)) {
    if (same(candidate, row) || !channelsOn.has(candidate.channel)) continue;
    if (await isOptedOut(db, candidate)) continue;
    return { channel: candidate.channel, address: candidate.address };
  }
  return null;
}
