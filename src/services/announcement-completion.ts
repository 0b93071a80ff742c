// When an announcement has gone out to everyone it can reach, it is marked "sent" and its author
// gets a summary in the staff chat they verified (if they have one), in the same write: the
// admin who typed /announce hears how it went without asking.
import { and, desc, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { placeholder as p, preparedPerDatabase, schema, WriteConflict } from "../../db";
import { planOutboxMessage } from "../outbox/enqueue";
import { UnitOfWork } from "../outbox/unit-of-work";
import {
  type AnnouncementCounts,
  countRecipients,
  findFinishedAnnouncements,
} from "./announcement-reports";
import type { ServiceDeps } from "./deps";

const { announcements, channelIdentities } = schema;

/** The staff member's most recently verified chat address that still counts. */
export const staffChatOf = preparedPerDatabase((db) =>
  db
    .select({ channel: channelIdentities.channel, address: channelIdentities.address })
    .from(channelIdentities)
    .where(
      and(
        eq(channelIdentities.staffId, p("staffId")),
        isNotNull(channelIdentities.verifiedAt),
        gt(channelIdentities.expiresAt, p("now")),
        isNull(channelIdentities.optedOutAt),
      ),
    )
    .orderBy(desc(channelIdentities.verifiedAt))
    .prepare(),
);

/** "Announcement #12 has gone out: 130 sent (120 delivered, 80 read), 2 failed, 5 unreachable." */
export function completionSummary(id: number, counts: AnnouncementCounts): string {
  const unreachable = Object.values(counts.skipped).reduce((sum, n) => sum + n, 0);
  return [
    `Announcement #${id} has gone out: ${counts.sent} sent (${counts.delivered} delivered, ${counts.read} read)`,
    `, ${counts.failed} failed, ${unreachable} could not be reached.`,
    ` Type "/stats ${id}" for the latest.`,
  ].join("");
}

/** Marks finished announcements sent and tells their authors; returns how many finished. */
export async function finishAnnouncements(deps: ServiceDeps): Promise<number> {
  const finished = findFinishedAnnouncements(deps);
  if (finished.length === 0) return 0;
  const counts = countRecipients(
    deps,
    finished.map((announcement) => announcement.id),
  );
  const now = deps.now();
  let told = 0;
  for (const announcement of finished) {
    const uow = new UnitOfWork();
    uow.plan(
      deps.db
        .update(announcements)
        .set({ status: "sent" })
        .where(and(eq(announcements.id, announcement.id), eq(announcements.status, "sending"))),
      // Another process may have finished it first: then it also told the author.
      { guard: "announcement-still-sending" },
    );
    const chat = await staffChatOf(deps.db).get({ staffId: announcement.authorStaffId, now });
    const tally = counts.get(announcement.id);
    if (chat && tally) {
      planOutboxMessage(deps, uow, {
        schoolId: announcement.schoolId,
        channel: chat.channel,
        address: chat.address,
        kind: "alert",
        body: completionSummary(announcement.id, tally),
      });
      told += 1;
    }
    try {
      await uow.commit(deps.db);
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
    }
  }
  if (told > 0) deps.outboxQueued?.();
  return finished.length;
}
