// What became of announcements: counts per announcement and per recipient, read from the outbox
// rows that carry them, for the staff API (and the staff chat's /announcements and /stats).
//
// How recipients are counted. Each guardian in the audience is one recipient, whatever the number
// of their children. A recipient is skipped (no_channel, opted_out, announcements_off), waiting for
// their daily digest, or has a message whose outbox status decides the rest:
//   pending   = queued or being sent, plus waiting for the digest
//   sent      = the provider accepted it: sent, delivered or read
//   delivered = delivered or read (so delivered ⊂ sent)
//   read      = read (read ⊂ delivered)
//   failed    = undelivered, failed or dead
// When the dispatcher falls back to another channel (WhatsApp → SMS) it marks the first row failed,
// queues a copy and points the recipient at the copy, so a recipient always counts by its latest row.
import { and, desc, eq, lt } from "drizzle-orm";
import { schema } from "../../db";
import { outboxStatuses } from "../../db/schema";
import type { Attachment } from "../contracts";
import type { AnnouncementAudience } from "./announcement-audience";
import type { ServiceDeps } from "./deps";

const { announcements } = schema;

export const SKIP_REASONS = ["no_channel", "opted_out", "announcements_off"] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface AnnouncementCounts {
  /** Guardians in the audience when it went out. */
  recipients: number;
  pending: number;
  /** Of pending: held for the guardian's daily digest. */
  waitingForDigest: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: Record<SkipReason, number>;
  /** Recipients with a message (or a digest to come), by the channel chosen for them. */
  byChannel: Record<string, number>;
}

export const emptyCounts = (): AnnouncementCounts => ({
  recipients: 0,
  pending: 0,
  waitingForDigest: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  skipped: { no_channel: 0, opted_out: 0, announcements_off: 0 },
  byChannel: {},
});

export type AnnouncementRow = Pick<
  typeof announcements.$inferSelect,
  | "id"
  | "schoolId"
  | "authorStaffId"
  | "audience"
  | "body"
  | "attachment"
  | "urgent"
  | "scheduledAt"
  | "status"
  | "createdAt"
>;

export interface AnnouncementView {
  id: number;
  status: AnnouncementRow["status"];
  audience: AnnouncementAudience;
  text: string;
  attachment: Attachment | null;
  urgent: boolean;
  scheduledAt: number | null;
  createdAt: number;
  authorStaffId: number;
  counts: AnnouncementCounts;
}

export function presentAnnouncement(
  row: AnnouncementRow,
  counts: AnnouncementCounts,
): AnnouncementView {
  return {
    id: row.id,
    status: row.status,
    audience: row.audience as AnnouncementAudience,
    text: row.body,
    attachment: row.attachment ?? null,
    urgent: row.urgent,
    scheduledAt: row.scheduledAt,
    createdAt: row.createdAt,
    authorStaffId: row.authorStaffId,
    counts,
  };
}

/**
 * A recipient's state as one word: skipped, waiting_for_digest, or the status of the outbox row
 * that carries it (the latest fallback copy, when there is one). `r` is the recipient, `o` its row.
 */
export const RECIPIENT_STATE = `case
  when r.skipped_reason is not null then 'skipped'
  when r.outbox_id is null then 'waiting_for_digest'
  else o.status end`;

interface CountRow {
  announcementId: number;
  state: string;
  skippedReason: string | null;
  channel: string | null;
  n: number;
}

/** Counts for each of the given announcements (one grouped statement for them all). */
export function countRecipients(
  deps: Pick<ServiceDeps, "db">,
  ids: readonly number[],
): Map<number, AnnouncementCounts> {
  const result = new Map(ids.map((id) => [id, emptyCounts()]));
  if (ids.length === 0) return result;
  const rows = deps.db.$client
    .prepare<[string], CountRow>(
      `select announcement_id as announcementId, state, skipped_reason as skippedReason,
              channel, count(*) as n
         from (select r.announcement_id, r.skipped_reason, r.channel, ${RECIPIENT_STATE} as state
                 from announcement_recipients r
                 left join outbox o on o.id = r.outbox_id
                where r.announcement_id in (select value from json_each(?)))
        group by announcement_id, state, skipped_reason, channel`,
    )
    .all(JSON.stringify(ids));
  for (const row of rows) {
    const counts = result.get(row.announcementId);
    if (!counts) continue;
    counts.recipients += row.n;
    if (row.state === "skipped") {
      const reason = row.skippedReason as SkipReason;
      if (reason in counts.skipped) counts.skipped[reason] += row.n;
      continue;
    }
    if (row.channel) counts.byChannel[row.channel] = (counts.byChannel[row.channel] ?? 0) + row.n;
    switch (row.state) {
      case "waiting_for_digest":
        counts.waitingForDigest += row.n;
        counts.pending += row.n;
        break;
      case "pending":
      case "sending":
        counts.pending += row.n;
        break;
      case "read":
        counts.read += row.n;
        counts.delivered += row.n;
        counts.sent += row.n;
        break;
      case "delivered":
        counts.delivered += row.n;
        counts.sent += row.n;
        break;
      case "sent":
        counts.sent += row.n;
        break;
      default:
        counts.failed += row.n;
    }
  }
  return result;
}

const columns = {
  id: announcements.id,
  schoolId: announcements.schoolId,
  authorStaffId: announcements.authorStaffId,
  audience: announcements.audience,
  body: announcements.body,
  attachment: announcements.attachment,
  urgent: announcements.urgent,
  scheduledAt: announcements.scheduledAt,
  status: announcements.status,
  createdAt: announcements.createdAt,
};

/** The school's announcements, newest first, with their counts. */
export async function listAnnouncements(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  query: { limit: number; before?: number },
) {
  const rows = await deps.db
    .select(columns)
    .from(announcements)
    .where(
      and(
        eq(announcements.schoolId, schoolId),
        query.before !== undefined ? lt(announcements.id, query.before) : undefined,
      ),
    )
    .orderBy(desc(announcements.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const counts = countRecipients(
    deps,
    page.map((row) => row.id),
  );
  const last = page.at(-1);
  return {
    announcements: page.map((row) => presentAnnouncement(row, counts.get(row.id) ?? emptyCounts())),
    nextCursor: rows.length > query.limit && last ? String(last.id) : null,
  };
}

/** A recipient's state: its message's outbox status, or why there is no message (yet). */
export const recipientStates = [...outboxStatuses, "skipped", "waiting_for_digest"] as const;
export type RecipientState = (typeof recipientStates)[number];

export interface RecipientView {
  guardianId: number;
  name: string;
  channel: string | null;
  status: RecipientState;
  skippedReason: SkipReason | null;
  /** Why the message failed, when it did. */
  lastError: string | null;
}

/** One announcement of the school with its counts; null when it is not the school's. */
export async function getAnnouncement(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  id: number,
): Promise<AnnouncementView | null> {
  const [row] = await deps.db
    .select(columns)
    .from(announcements)
    .where(and(eq(announcements.id, id), eq(announcements.schoolId, schoolId)));
  if (!row) return null;
  return presentAnnouncement(row, countRecipients(deps, [id]).get(id) ?? emptyCounts());
}

/** One page of an announcement's recipients in guardian id order, after the cursor. */
export function listRecipients(
  deps: Pick<ServiceDeps, "db">,
  announcementId: number,
  query: { limit: number; after?: number },
): { recipients: RecipientView[]; nextCursor: string | null } {
  const rows = deps.db.$client
    .prepare<
      { announcement: number; after: number; limit: number },
      Omit<RecipientView, "name"> & { firstName: string; lastName: string }
    >(
      `select r.guardian_id as guardianId, g.first_name as firstName, g.last_name as lastName,
              r.channel as channel, ${RECIPIENT_STATE} as status,
              r.skipped_reason as skippedReason,
              case when o.status in ('failed', 'undelivered', 'dead') then o.last_error end
                as lastError
         from announcement_recipients r
         join guardians g on g.id = r.guardian_id
         left join outbox o on o.id = r.outbox_id
        where r.announcement_id = @announcement and r.guardian_id > @after
        order by r.guardian_id limit @limit`,
    )
    .all({ announcement: announcementId, after: query.after ?? 0, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit).map(({ firstName, lastName, ...row }) => ({
    ...row,
    name: `${firstName} ${lastName}`,
  }));
  const last = page.at(-1);
  return {
    recipients: page,
    nextCursor: rows.length > query.limit && last ? String(last.guardianId) : null,
  };
}

/**
 * A "sending" announcement is finished once nothing of it waits: no message queued or being sent
 * (fallback copies included) and no recipient waiting for a digest. `a` is the announcement.
 */
export const ANNOUNCEMENT_FINISHED = `a.status = 'sending'
  and not exists (select 1 from outbox o
                   where o.announcement_id = a.id and o.status in ('pending', 'sending'))
  and not exists (select 1 from announcement_recipients r
                    left join outbox o on o.id = r.outbox_id
                   where r.announcement_id = a.id
                     and r.skipped_reason is null
                     and (r.outbox_id is null or o.status in ('pending', 'sending')))`;

/** The announcements that have just finished going out (still marked "sending"). */
export function findFinishedAnnouncements(
  deps: Pick<ServiceDeps, "db">,
): { id: number; schoolId: number; authorStaffId: number }[] {
  return deps.db.$client
    .prepare<[], { id: number; schoolId: number; authorStaffId: number }>(
      `select a.id, a.school_id as schoolId, a.author_staff_id as authorStaffId
         from announcements a where ${ANNOUNCEMENT_FINISHED}`,
    )
    .all();
}
