// Announcements from staff to families: preview, create (now or scheduled) and cancel; the release
// of scheduled ones is announcement-release.ts, with the planning exported here. Each guardian gets
// one message on their preferred channel naming the children it concerns; recipients and outbox
// rows are written in one atomic write, in bulk.
import { and, eq, sql } from "drizzle-orm";
import { schema, WriteConflict } from "../../db";
import type { Attachment } from "../contracts";
import {
  announcementTextFor,
  attachmentUrlProblem,
  chooseAddress,
  deliveryModeFor,
  quietHoursFromSettings,
  sendableAt,
} from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import {
  type AnnouncementAudience,
  type AnnouncementAuthor,
  type AnnouncementRefusal,
  checkAnnouncer,
  forEachAudienceGuardian,
  type GuardianSelection,
  refuse,
  resolveAudienceTarget,
} from "./announcement-audience";
import {
  type AnnouncementCounts,
  type AnnouncementView,
  emptyCounts,
  getAnnouncement,
  presentAnnouncement,
  SKIP_REASONS,
  type SkipReason,
} from "./announcement-reports";
import { planAudit } from "./audit";
import { planBulkInsert } from "./bulk-insert";
import type { ServiceDeps } from "./deps";

const { announcements, schools } = schema;

/** Longest announcement text: fits one WhatsApp or Telegram message with room for the names. */
export const MAX_ANNOUNCEMENT_LENGTH = 1500;
/** How far ahead an announcement may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;

export interface AnnouncementDraft {
  audience: AnnouncementAudience;
  text: string;
  /** A photo or document sent with the text to every family (a public https URL). */
  attachment?: Attachment;
  urgent?: boolean;
  /** Epoch ms; in the future, the announcement waits until then. */
  scheduledAt?: number;
  /**
   * What asked for it, when that may ask again (a chat message a provider redelivers, an API
   * client's Idempotency-Key): a second call with the same key returns the first announcement
   * instead of making another.
   */
  sourceKey?: string;
}

/** A made announcement; `replayed` when an earlier call with the same source key made it. */
export interface CreatedAnnouncement {
  ok: true;
  announcement: AnnouncementView;
  replayed: boolean;
}

export interface AnnouncementPreview {
  /** Guardians of the students in the audience (each counted once, however many children). */
  guardians: number;
  /** Guardians who will get it: now, or in their daily digest. */
  reached: number;
  /** Of those reached, how many on each channel. */
  byChannel: Record<string, number>;
  /** Of those reached, how many in their evening digest rather than at once. */
  digest: number;
  /** Guardians it cannot reach, by why. */
  unreachable: Record<SkipReason, number>;
}

interface SchoolFacts {
  name: string;
  timezone: string;
  settings: Record<string, unknown>;
}

export async function loadSchool(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
): Promise<SchoolFacts> {
  const [school] = await deps.db
    .select({ name: schools.name, timezone: schools.timezone, settings: schools.settings })
    .from(schools)
    .where(eq(schools.id, schoolId));
  if (!school) throw new Error(`school ${schoolId} does not exist`);
  return school;
}

/** Values per outbox row: channel, address, body, place in the plan. */
const OUTBOX_WIDTH = 4;
/** Values per recipient: guardian, outbox offset from the last row, skipped reason, channel, held at, held text. */
const RECIPIENT_WIDTH = 6;

/** What each guardian gets, as flat rows ready for the bulk inserts, and the counts they make. */
interface DeliveryPlan {
  outboxValues: unknown[];
  recipientValues: unknown[];
  counts: AnnouncementCounts;
}

/** Decides every guardian's message as the audience is read. */
export function planDeliveries(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  selection: GuardianSelection,
  draft: { text: string; attachment?: Attachment | null; urgent: boolean; now: number },
): DeliveryPlan {
  const { text, attachment, urgent, now } = draft;
  const outboxValues: unknown[] = [];
  const recipientValues: unknown[] = [];
  const counts = emptyCounts();
  forEachAudienceGuardian(deps, schoolId, selection, now, (guardian) => {
    counts.recipients++;
    const mode = deliveryModeFor(guardian.preferences, urgent);
    const choice =
      mode === "off" ? null : chooseAddress(guardian.addresses, guardian.preferences.channelOrder);
    if (!choice?.ok) {
      const reason: SkipReason = choice ? choice.reason : "announcements_off";
      counts.skipped[reason]++;
      recipientValues.push(guardian.guardianId, null, reason, null, null, null);
      return;
    }
    const body = announcementTextFor(guardian.children, text, guardian.language);
    counts.byChannel[choice.channel] = (counts.byChannel[choice.channel] ?? 0) + 1;
    counts.pending++;
    if (mode === "digest") {
      counts.waitingForDigest++;
      // The digest is one text gathering several announcements: the attachment rides as its link.
      const held = attachment ? `${body}\n${attachment.url}` : body;
      recipientValues.push(guardian.guardianId, null, null, choice.channel, now, held);
      return;
    }
    const place = outboxValues.length / OUTBOX_WIDTH;
    outboxValues.push(choice.channel, choice.address, body, place);
    // For now the place; turned into the distance from the last row below.
    recipientValues.push(guardian.guardianId, place, null, choice.channel, null, null);
  });
  // Outbox ids are handed out in insert order, so a recipient finds its row by its distance from
  // the last one: known once every row is planned.
  const last = outboxValues.length / OUTBOX_WIDTH - 1;
  for (let at = 1; at < recipientValues.length; at += RECIPIENT_WIDTH) {
    const place = recipientValues[at];
    if (typeof place === "number") recipientValues[at] = last - place;
  }
  return { outboxValues, recipientValues, counts };
}

/**
 * The announcement's id inside the write: given, or the row the same write just inserted. The
 * write holds the database's only write lock, so the newest announcement is that row.
 */
const ANNOUNCEMENT = "(select coalesce(@announcement, max(id)) as id from announcements) as a";

/** Plans the recipients and their outbox rows (after the announcement row, in the same write). */
export function planDeliveryWrites(
  deps: Pick<ServiceDeps, "db">,
  uow: UnitOfWork,
  plan: DeliveryPlan,
  at: {
    schoolId: number;
    announcementId: number | null;
    now: number;
    sendAt: number;
    attachment: Attachment | null;
  },
): void {
  // Ids are handed out in insert order (rows.column4 is each row's place in the plan), which is
  // what lets a recipient find its row by its distance from the last one.
  planBulkInsert(
    deps.db,
    uow,
    {
      sql: `insert into outbox (school_id, channel, address, kind, body, media, status, attempts,
              next_attempt_at, announcement_id, created_at, updated_at)
            select @school, rows.column1, rows.column2, 'announcement', rows.column3, @media,
                   'pending', 0, @sendAt, a.id, @now, @now
              from ROWS, ${ANNOUNCEMENT}
             order by rows.column4`,
      width: OUTBOX_WIDTH,
      named: {
        school: at.schoolId,
        sendAt: at.sendAt,
        announcement: at.announcementId,
        now: at.now,
        // One value shared by every row, bound once for the whole statement.
        media: at.attachment ? JSON.stringify([at.attachment]) : null,
      },
    },
    plan.outboxValues,
  );
  planBulkInsert(
    deps.db,
    uow,
    {
      // An offset of NULL gives NULL: no message (skipped, or waiting for the digest).
      sql: `insert into announcement_recipients (announcement_id, guardian_id, school_id,
              outbox_id, skipped_reason, channel, digest_held_at, held_text)
            select a.id, rows.column1, @school, last.id - rows.column2, rows.column3,
                   rows.column4, rows.column5, rows.column6
              from ROWS, ${ANNOUNCEMENT}, (select max(id) as id from outbox) as last`,
      width: RECIPIENT_WIDTH,
      named: { school: at.schoolId, announcement: at.announcementId },
    },
    plan.recipientValues,
  );
}

function checkText(text: string): AnnouncementRefusal | null {
  if (text.trim().length === 0) return refuse(422, "empty_text", "The announcement has no text");
  if (text.length > MAX_ANNOUNCEMENT_LENGTH)
    return refuse(
      422,
      "text_too_long",
      `The announcement is ${text.length} characters; the most is ${MAX_ANNOUNCEMENT_LENGTH}`,
    );
  return null;
}

function checkAttachment(attachment: Attachment | undefined): AnnouncementRefusal | null {
  if (!attachment) return null;
  const problem = attachmentUrlProblem(attachment.url);
  return problem ? refuse(422, "invalid_attachment", problem) : null;
}

function checkSchedule(scheduledAt: number | undefined, now: number): AnnouncementRefusal | null {
  if (scheduledAt === undefined) return null;
  if (!Number.isFinite(scheduledAt))
    return refuse(422, "invalid_schedule", "The scheduled time is not a time");
  if (scheduledAt <= now)
    return refuse(
      422,
      "past_schedule",
      `The scheduled time ${new Date(scheduledAt).toISOString()} has already passed; choose a later time or send it now`,
    );
  if (scheduledAt > now + MAX_SCHEDULE_AHEAD_MS)
    return refuse(422, "invalid_schedule", "Announcements can be scheduled up to a year ahead");
  return null;
}

/** Checks the audience against the school and the author: the target, or why not. */
function checkAudience(
  deps: Pick<ServiceDeps, "db">,
  author: AnnouncementAuthor,
  audience: AnnouncementAudience,
) {
  if (!author.roles.includes("admin") && !author.roles.includes("teacher"))
    return refuse(403, "forbidden", "Only admins and teachers may send announcements");
  const resolved = resolveAudienceTarget(deps, author.schoolId, audience);
  if (!resolved.ok) return resolved;
  return checkAnnouncer(deps, author, audience, resolved.classIds) ?? resolved;
}

/** How many families an audience reaches and how, without writing anything. */
export async function previewAnnouncement(
  deps: Pick<ServiceDeps, "db" | "now">,
  author: AnnouncementAuthor,
  audience: AnnouncementAudience,
  options: { urgent?: boolean } = {},
): Promise<{ ok: true; preview: AnnouncementPreview } | AnnouncementRefusal> {
  const checked = checkAudience(deps, author, audience);
  if (!checked.ok) return checked;
  const now = deps.now();
  const { counts } = planDeliveries(deps, author.schoolId, checked.target, {
    text: "",
    urgent: options.urgent ?? false,
    now,
  });
  const unreachable = Object.values(counts.skipped).reduce((sum, count) => sum + count, 0);
  return {
    ok: true,
    preview: {
      guardians: counts.recipients,
      reached: counts.recipients - unreachable,
      byChannel: counts.byChannel,
      digest: counts.waitingForDigest,
      unreachable: counts.skipped,
    },
  };
}

/** The announcement of the author's school made for `sourceKey`, if there is one. */
async function findBySourceKey(
  deps: ServiceDeps,
  author: AnnouncementAuthor,
  sourceKey: string,
): Promise<AnnouncementView | null> {
  const row = deps.db.$client
    .prepare<[string, number], { id: number }>(
      "select id from announcements where source_key = ? and school_id = ?",
    )
    .get(sourceKey, author.schoolId);
  return row ? getAnnouncement(deps, author.schoolId, row.id) : null;
}

/**
 * Creates an announcement: sent now (recipients and outbox rows in the same write), or kept as
 * "scheduled" until `scheduledAt`. Audited.
 */
export async function createAnnouncement(
  deps: ServiceDeps,
  author: AnnouncementAuthor,
  draft: AnnouncementDraft,
): Promise<CreatedAnnouncement | AnnouncementRefusal> {
  // Before any check: a redelivered request gets what the first made, even if its scheduled
  // time has passed since.
  const earlier = draft.sourceKey ? await findBySourceKey(deps, author, draft.sourceKey) : null;
  if (earlier) return { ok: true, announcement: earlier, replayed: true };
  const now = deps.now();
  const text = draft.text.trim();
  const urgent = draft.urgent ?? false;
  const attachment = draft.attachment ?? null;
  const refused =
    checkText(text) ?? checkAttachment(draft.attachment) ?? checkSchedule(draft.scheduledAt, now);
  if (refused) return refused;
  const checked = checkAudience(deps, author, draft.audience);
  if (!checked.ok) return checked;

  const scheduled = draft.scheduledAt !== undefined;
  const uow = new UnitOfWork();
  let id = 0;
  const row = {
    schoolId: author.schoolId,
    authorStaffId: author.staffId,
    audience: draft.audience as Record<string, unknown>,
    body: text,
    attachment,
    urgent,
    scheduledAt: draft.scheduledAt ?? null,
    status: scheduled ? ("scheduled" as const) : ("sending" as const),
    sourceKey: draft.sourceKey ?? null,
    createdAt: now,
  };
  uow.planInsert(deps.db.insert(announcements).values(row), (rowId) => {
    id = rowId;
  });
  let counts = emptyCounts();
  if (!scheduled) {
    const school = await loadSchool(deps, author.schoolId);
    const plan = planDeliveries(deps, author.schoolId, checked.target, {
      text,
      attachment,
      urgent,
      now,
    });
    counts = plan.counts;
    planDeliveryWrites(deps, uow, plan, {
      schoolId: author.schoolId,
      announcementId: null,
      now,
      sendAt: sendAtFor(school, urgent, now),
      attachment,
    });
  }
  planAudit(deps, uow, {
    schoolId: author.schoolId,
    actorType: "staff",
    actorId: author.staffId,
    action: "announcement.create",
    entity: "announcement",
    entityId: sql`cast((select max(id) from announcements) as text)`,
    before: null,
    after: {
      audience: draft.audience,
      ...(attachment ? { attachment } : {}),
      urgent,
      scheduledAt: row.scheduledAt,
      status: row.status,
      recipients: counts.recipients,
    },
  });
  try {
    await uow.commit(deps.db);
  } catch (error) {
    // Another process made it for the same request between our look and our write.
    const made = draft.sourceKey ? await findBySourceKey(deps, author, draft.sourceKey) : null;
    if (made) return { ok: true, announcement: made, replayed: true };
    throw error;
  }
  if (counts.pending > counts.waitingForDigest) deps.outboxQueued?.();
  return { ok: true, announcement: presentAnnouncement({ ...row, id }, counts), replayed: false };
}

/** Non-urgent messages wait for the end of the school's quiet hours; urgent ones go now. */
export function sendAtFor(school: SchoolFacts, urgent: boolean, now: number): number {
  if (urgent) return now;
  return sendableAt(quietHoursFromSettings(school.settings), now, school.timezone);
}

/**
 * A unit of work that moves a scheduled announcement on (released, or cancelled), and fails with
 * WriteConflict if it is no longer scheduled when it commits (moved on by another meanwhile).
 */
export function leavingSchedule(
  deps: Pick<ServiceDeps, "db">,
  id: number,
  status: "sending" | "cancelled",
): UnitOfWork {
  const uow = new UnitOfWork();
  uow.plan(
    deps.db
      .update(announcements)
      .set({ status })
      .where(and(eq(announcements.id, id), eq(announcements.status, "scheduled"))),
    { guard: "announcement-scheduled" },
  );
  return uow;
}

/**
 * Cancels a scheduled announcement (admins any of their school's; teachers their own). Once it
 * is sending or sent it cannot be called back: 409.
 */
export async function cancelAnnouncement(
  deps: ServiceDeps,
  author: AnnouncementAuthor,
  id: number,
): Promise<{ ok: true; announcement: AnnouncementView } | AnnouncementRefusal> {
  const isAdmin = author.roles.includes("admin");
  if (!isAdmin && !author.roles.includes("teacher"))
    return refuse(403, "forbidden", "Only admins and teachers may cancel announcements");
  const [found] = await deps.db
    .select()
    .from(announcements)
    .where(and(eq(announcements.id, id), eq(announcements.schoolId, author.schoolId)));
  if (!found) return refuse(404, "not_found", "Announcement not found");
  if (!isAdmin && found.authorStaffId !== author.staffId)
    return refuse(403, "forbidden", "Teachers may cancel only their own announcements");
  const tooLate = () =>
    refuse(
      409,
      "not_cancellable",
      `Only a scheduled announcement can be cancelled; this one is ${found.status}`,
    );
  if (found.status !== "scheduled") return tooLate();
  const uow = leavingSchedule(deps, id, "cancelled");
  planAudit(deps, uow, {
    schoolId: author.schoolId,
    actorType: "staff",
    actorId: author.staffId,
    action: "announcement.cancel",
    entity: "announcement",
    entityId: String(id),
    before: { status: "scheduled" },
    after: { status: "cancelled" },
  });
  try {
    await uow.commit(deps.db);
  } catch (error) {
    // The scheduler released it between the read and the write.
    if (error instanceof WriteConflict) return tooLate();
    throw error;
  }
  return {
    ok: true,
    announcement: presentAnnouncement({ ...found, status: "cancelled" }, emptyCounts()),
  };
}

export { SKIP_REASONS };
