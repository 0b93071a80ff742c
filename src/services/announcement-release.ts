// The release of scheduled announcements when their time comes: each is sent to its audience as it
// is then, or withdrawn if its author may no longer send it (asked as if they wrote it now).
import { eq } from "drizzle-orm";
import { schema, WriteConflict } from "../../db";
import { planOutboxMessage } from "../outbox/enqueue";
import {
  type AnnouncementAudience,
  type AnnouncementRefusal,
  checkAnnouncer,
  refuse,
  resolveAudienceTarget,
} from "./announcement-audience";
import { staffChatOf } from "./announcement-completion";
import {
  leavingSchedule,
  loadSchool,
  planDeliveries,
  planDeliveryWrites,
  sendAtFor,
} from "./announcement-sending";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";
import { activeStaffPrincipal } from "./directory";

const { announcements } = schema;

/** How many scheduled announcements one run of the job releases at most. */
const RELEASE_BATCH = 20;

/**
 * Why a scheduled announcement's author may no longer send it, asked as if they wrote it now: a
 * member deactivated or made office staff since, or a teacher who no longer teaches one of the
 * classes it reaches (reassigned, or a listed student moved to another class), does not speak
 * to those families when its time comes.
 */
async function authorRefusalAtRelease(
  deps: Pick<ServiceDeps, "db">,
  found: typeof announcements.$inferSelect,
  classIds: number[],
): Promise<AnnouncementRefusal | null> {
  const author = await activeStaffPrincipal(deps.db, found.authorStaffId);
  if (author?.schoolId !== found.schoolId)
    return refuse(403, "author_inactive", "Its author's staff account is not active");
  return checkAnnouncer(deps, author, found.audience as AnnouncementAudience, classIds);
}

/** "Announcement #12 was not sent at its scheduled time: Teachers announce only to …" */
function withdrawalNotice(id: number, refusal: AnnouncementRefusal): string {
  return `Announcement #${id} was not sent at its scheduled time: ${refusal.message}.`;
}

/**
 * Cancels a scheduled announcement whose author may no longer send it, audited as the system's
 * doing with the reason, so an admin sees why it never went (GET /v1/audit). An author still on
 * the staff hears why in their staff chat, if they have one.
 */
async function withdrawAtRelease(
  deps: ServiceDeps,
  found: typeof announcements.$inferSelect,
  refusal: AnnouncementRefusal,
): Promise<void> {
  const uow = leavingSchedule(deps, found.id, "cancelled");
  planAudit(deps, uow, {
    schoolId: found.schoolId,
    actorType: "system",
    action: "announcement.withdraw",
    entity: "announcement",
    entityId: String(found.id),
    before: { status: "scheduled" },
    after: { status: "cancelled", reason: refusal.code, message: refusal.message },
  });
  const chat =
    refusal.code === "author_inactive"
      ? undefined
      : await staffChatOf(deps.db).get({ staffId: found.authorStaffId, now: deps.now() });
  if (chat)
    planOutboxMessage(deps, uow, {
      schoolId: found.schoolId,
      channel: chat.channel,
      address: chat.address,
      kind: "alert",
      body: withdrawalNotice(found.id, refusal),
    });
  try {
    await uow.commit(deps.db);
  } catch (error) {
    if (error instanceof WriteConflict) return; // cancelled by hand meanwhile
    throw error;
  }
  if (chat) deps.outboxQueued?.();
  deps.log.warn(
    { announcementId: found.id, authorStaffId: found.authorStaffId, reason: refusal.code },
    "scheduled announcement withdrawn: its author may no longer send it",
  );
}

/**
 * Sends the scheduled announcements whose time has come: the audience is resolved now (a class
 * renamed since is left out rather than stopping the rest), in one write that moves the
 * announcement from "scheduled" to "sending" only if it was not cancelled meanwhile. One whose
 * author may no longer send it is withdrawn instead.
 */
export async function releaseDueAnnouncements(deps: ServiceDeps): Promise<number> {
  const now = deps.now();
  const due = deps.db.$client
    .prepare<[number, number], { id: number }>(
      `select id from announcements where status = 'scheduled' and scheduled_at <= ?
        order by scheduled_at, id limit ?`,
    )
    .all(now, RELEASE_BATCH);
  let released = 0;
  for (const { id } of due) {
    const [found] = await deps.db.select().from(announcements).where(eq(announcements.id, id));
    if (!found) continue;
    const audience = found.audience as AnnouncementAudience;
    const resolved = resolveAudienceTarget(deps, found.schoolId, audience, true);
    const refusal = await authorRefusalAtRelease(deps, found, resolved.ok ? resolved.classIds : []);
    if (refusal) {
      await withdrawAtRelease(deps, found, refusal);
      continue;
    }
    const school = await loadSchool(deps, found.schoolId);
    const target = resolved.ok ? resolved.target : { by: "classes" as const, classIds: [] };
    const plan = planDeliveries(deps, found.schoolId, target, {
      text: found.body,
      attachment: found.attachment,
      urgent: found.urgent,
      now,
    });
    const uow = leavingSchedule(deps, id, "sending");
    planDeliveryWrites(deps, uow, plan, {
      schoolId: found.schoolId,
      announcementId: id,
      now,
      sendAt: sendAtFor(school, found.urgent, now),
      attachment: found.attachment,
    });
    try {
      await uow.commit(deps.db);
      released++;
    } catch (error) {
      if (error instanceof WriteConflict) continue; // cancelled meanwhile
      throw error;
    }
    deps.log.info(
      { announcementId: id, recipients: plan.counts.recipients },
      "scheduled announcement released",
    );
  }
  if (released > 0) deps.outboxQueued?.();
  return released;
}
