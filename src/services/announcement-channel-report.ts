// The announcements report: over a school's announcements sent in a period, how many families were
// reached, and by channel how many messages were delivered, read and failed. Recipients count as
// GET /v1/announcements/{id} counts them (announcement-reports.ts), by their latest outbox row.
import type { Database } from "../../db";
import { RECIPIENT_STATE, SKIP_REASONS, type SkipReason } from "./announcement-reports";

export interface ChannelFigures {
  channel: string;
  /** Recipients whose message went (or waits to go) on this channel. */
  recipients: number;
  pending: number;
  delivered: number;
  read: number;
  failed: number;
  /** Of this channel's recipients, as fractions (null with none). */
  deliveredRate: number | null;
  readRate: number | null;
  failedRate: number | null;
}

export interface AnnouncementChannelReport {
  announcements: number;
  /** Guardians in the audiences (one per announcement they were in). */
  recipients: number;
  /** Of those: given a message or held for their digest. */
  reached: number;
  reachRate: number | null;
  skipped: Record<SkipReason, number>;
  byChannel: ChannelFigures[];
}

const rate = (part: number, whole: number) =>
  whole === 0 ? null : Number((part / whole).toFixed(4));

/** The report over the school's announcements created in [from, to), cancelled ones left out. */
export function announcementChannelReport(
  db: Database,
  schoolId: number,
  from: number,
  to: number,
): AnnouncementChannelReport {
  const client = db.$client;
  const { n: announcements } = client
    .prepare<[number, number, number], { n: number }>(
      `select count(*) as n from announcements
        where school_id = ? and created_at >= ? and created_at < ? and status != 'cancelled'`,
    )
    .get(schoolId, from, to) ?? { n: 0 };
  const rows = client
    .prepare<
      [number, number, number],
      { channel: string | null; state: string; skippedReason: string | null; n: number }
    >(
      `select channel, state, skipped_reason as skippedReason, count(*) as n
         from (select r.channel, r.skipped_reason, ${RECIPIENT_STATE} as state
                 from announcements a
                 join announcement_recipients r on r.announcement_id = a.id
                 left join outbox o on o.id = r.outbox_id
                where a.school_id = ? and a.created_at >= ? and a.created_at < ?
                  and a.status != 'cancelled')
        group by channel, state, skipped_reason`,
    )
    .all(schoolId, from, to);
  const skipped = Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<
    SkipReason,
    number
  >;
  const channels = new Map<string, Omit<ChannelFigures, `${string}Rate`>>();
  let recipients = 0;
  for (const row of rows) {
    recipients += row.n;
    if (row.state === "skipped") {
      const reason = row.skippedReason as SkipReason;
      if (reason in skipped) skipped[reason] += row.n;
      continue;
    }
    const channel = row.channel ?? "unknown";
    const tally = channels.get(channel) ?? {
      channel,
      recipients: 0,
      pending: 0,
      delivered: 0,
      read: 0,
      failed: 0,
    };
    tally.recipients += row.n;
    if (["waiting_for_digest", "pending", "sending"].includes(row.state)) tally.pending += row.n;
    else if (row.state === "read") {
      tally.read += row.n;
      tally.delivered += row.n;
    } else if (row.state === "delivered") tally.delivered += row.n;
    else if (row.state !== "sent") tally.failed += row.n;
    channels.set(channel, tally);
  }
  const reached = recipients - Object.values(skipped).reduce((sum, n) => sum + n, 0);
  return {
    announcements,
    recipients,
    reached,
    reachRate: rate(reached, recipients),
    skipped,
    byChannel: [...channels.values()]
      .sort((a, b) => b.recipients - a.recipients || a.channel.localeCompare(b.channel))
      .map((tally) => ({
        ...tally,
        deliveredRate: rate(tally.delivered, tally.recipients),
        readRate: rate(tally.read, tally.recipients),
        failedRate: rate(tally.failed, tally.recipients),
      })),
  };
}
