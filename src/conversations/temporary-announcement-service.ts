// TEMPORARY until announcement service lands: a minimal stand-in with exactly the agreed interface
// (previewAnnouncement, createAnnouncement, listAnnouncements, getAnnouncement), so the staff chat
// runs end to end meanwhile. It resolves audiences, checks the role scope, writes the announcement
// with its recipients and outbox rows, and counts outbox statuses. No quiet hours, digests,
// preferences or fallback: the real service owns those. Delete this file at merge.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { schema } from "../../db";
import type { StaffPrincipal } from "../http/app-env";
import { ApiError } from "../http/errors";
import type { ServiceDeps } from "../services/deps";

const {
  announcements,
  announcementRecipients,
  channelIdentities,
  classes,
  classTeachers,
  guardianStudents,
  outbox,
  students,
} = schema;

export type Audience =
  | { kind: "school" }
  | { kind: "grades"; grades: string[] }
  | { kind: "classes"; classes: string[] }
  | { kind: "students"; admissionNumbers: string[] };

export interface AnnouncementPreview {
  families: number;
  byChannel: Record<string, number>;
  unreachable: { noChannel: number; optedOut: number; off: number };
}

export interface AnnouncementCounts {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  pending: number;
}

export interface AnnouncementView {
  id: number;
  audience: Audience;
  text: string;
  urgent: boolean;
  status: "scheduled" | "sending" | "sent" | "cancelled";
  scheduledAt: number | null;
  createdAt: number;
  counts: AnnouncementCounts;
}

const hasRole = (principal: StaffPrincipal, role: string) => principal.roles.includes(role);

/** The students the audience names, after the role scope is checked. */
async function studentIdsOf(
  deps: ServiceDeps,
  principal: StaffPrincipal,
  audience: Audience,
): Promise<number[]> {
  const schoolId = principal.schoolId;
  if (!hasRole(principal, "admin") && !hasRole(principal, "teacher")) {
    throw new ApiError(403, "forbidden", "Office staff cannot send announcements");
  }
  const teacherClassIds = hasRole(principal, "admin")
    ? null
    : (
        await deps.db
          .select({ classId: classTeachers.classId })
          .from(classTeachers)
          .where(eq(classTeachers.staffId, principal.staffId))
      ).map((row) => row.classId);
  const outOfScope = () =>
    new ApiError(403, "forbidden", "Teachers may announce only to their own classes");

  let classIds: number[] | null = null;
  if (audience.kind === "school" || audience.kind === "grades") {
    if (teacherClassIds) throw outOfScope();
    const found = await deps.db
      .select({ id: classes.id, grade: classes.grade })
      .from(classes)
      .where(eq(classes.schoolId, schoolId));
    if (audience.kind === "grades") {
      const missing = audience.grades.filter((g) => !found.some((c) => String(c.grade) === g));
      if (missing.length) {
        throw new ApiError(422, "unknown_grade", `Unknown grade: ${missing.join(", ")}`);
      }
      classIds = found.filter((c) => audience.grades.includes(String(c.grade))).map((c) => c.id);
    } else classIds = found.map((c) => c.id);
  } else if (audience.kind === "classes") {
    const found = await deps.db
      .select({ id: classes.id, name: classes.name })
      .from(classes)
      .where(and(eq(classes.schoolId, schoolId), inArray(classes.name, audience.classes)));
    const missing = audience.classes.filter((name) => !found.some((c) => c.name === name));
    if (missing.length) {
      throw new ApiError(422, "unknown_class", `Unknown class: ${missing.join(", ")}`);
    }
    if (teacherClassIds && found.some((c) => !teacherClassIds.includes(c.id))) throw outOfScope();
    classIds = found.map((c) => c.id);
  }
  if (classIds) {
    if (classIds.length === 0) return [];
    const rows = await deps.db
      .select({ id: students.id })
      .from(students)
      .where(inArray(students.classId, classIds));
    return rows.map((row) => row.id);
  }
  const admissionNumbers = audience.kind === "students" ? audience.admissionNumbers : [];
  const found = await deps.db
    .select({ id: students.id, admissionNo: students.admissionNo, classId: students.classId })
    .from(students)
    .where(and(eq(students.schoolId, schoolId), inArray(students.admissionNo, admissionNumbers)));
  const missing = admissionNumbers.filter((n) => !found.some((s) => s.admissionNo === n));
  if (missing.length) {
    throw new ApiError(422, "unknown_student", `Unknown admission number: ${missing.join(", ")}`);
  }
  if (teacherClassIds && found.some((s) => !teacherClassIds.includes(s.classId))) {
    throw outOfScope();
  }
  return found.map((s) => s.id);
}

interface Recipient {
  guardianId: number;
  channel: string | null;
  address: string | null;
  skipped: "no_channel" | "opted_out" | null;
}

/** One recipient per guardian, on the channel they verified most recently. */
async function recipientsOf(deps: ServiceDeps, principal: StaffPrincipal, audience: Audience) {
  const studentIds = await studentIdsOf(deps, principal, audience);
  if (studentIds.length === 0) return [];
  const guardianRows = await deps.db
    .selectDistinct({ guardianId: guardianStudents.guardianId })
    .from(guardianStudents)
    .where(inArray(guardianStudents.studentId, studentIds));
  const guardianIds = guardianRows.map((row) => row.guardianId);
  const identities = await deps.db
    .select()
    .from(channelIdentities)
    .where(inArray(channelIdentities.guardianId, guardianIds))
    .orderBy(desc(channelIdentities.verifiedAt));
  return guardianIds.map((guardianId): Recipient => {
    const identity = identities.find((row) => row.guardianId === guardianId);
    if (!identity) return { guardianId, channel: null, address: null, skipped: "no_channel" };
    return {
      guardianId,
      channel: identity.channel,
      address: identity.address,
      skipped: identity.optedOutAt !== null ? "opted_out" : null,
    };
  });
}

export async function previewAnnouncement(
  deps: ServiceDeps,
  principal: StaffPrincipal,
  audience: Audience,
): Promise<AnnouncementPreview> {
  const recipients = await recipientsOf(deps, principal, audience);
  const byChannel: Record<string, number> = {};
  for (const r of recipients) {
    if (!r.skipped && r.channel) byChannel[r.channel] = (byChannel[r.channel] ?? 0) + 1;
  }
  return {
    families: recipients.length,
    byChannel,
    unreachable: {
      noChannel: recipients.filter((r) => r.skipped === "no_channel").length,
      optedOut: recipients.filter((r) => r.skipped === "opted_out").length,
      off: 0,
    },
  };
}

export async function createAnnouncement(
  deps: ServiceDeps,
  principal: StaffPrincipal,
  draft: { audience: Audience; text: string; urgent: boolean; scheduledAt?: number | null },
): Promise<{ id: number; status: "scheduled" | "sending" | "sent" }> {
  const recipients = await recipientsOf(deps, principal, draft.audience);
  const now = deps.now();
  const status = draft.scheduledAt ? "scheduled" : "sending";
  const id = deps.db.$client.transaction(() => {
    const row = deps.db
      .insert(announcements)
      .values({
        schoolId: principal.schoolId,
        authorStaffId: principal.staffId,
        audience: draft.audience,
        body: draft.text,
        urgent: draft.urgent,
        scheduledAt: draft.scheduledAt ?? null,
        status,
        createdAt: now,
      })
      .returning({ id: announcements.id })
      .get();
    for (const r of recipients) {
      const queued =
        status === "sending" && !r.skipped && r.channel && r.address
          ? deps.db
              .insert(outbox)
              .values({
                schoolId: principal.schoolId,
                channel: r.channel,
                address: r.address,
                kind: "announcement",
                body: draft.text,
                announcementId: row.id,
                nextAttemptAt: now,
                createdAt: now,
                updatedAt: now,
              })
              .returning({ id: outbox.id })
              .get()
          : null;
      deps.db
        .insert(announcementRecipients)
        .values({
          announcementId: row.id,
          guardianId: r.guardianId,
          schoolId: principal.schoolId,
          outboxId: queued?.id ?? null,
          skippedReason: r.skipped,
        })
        .run();
    }
    return row.id;
  })();
  deps.outboxQueued?.();
  return { id, status };
}

async function countsOf(deps: ServiceDeps, ids: number[]) {
  const counts = new Map<number, AnnouncementCounts>();
  for (const id of ids) counts.set(id, { sent: 0, delivered: 0, read: 0, failed: 0, pending: 0 });
  if (ids.length === 0) return counts;
  const rows = await deps.db
    .select({ id: outbox.announcementId, status: outbox.status, n: sql<number>`count(*)` })
    .from(outbox)
    .where(inArray(outbox.announcementId, ids))
    .groupBy(outbox.announcementId, outbox.status);
  for (const row of rows) {
    const c = counts.get(row.id ?? 0);
    if (!c) continue;
    if (row.status === "pending" || row.status === "sending") c.pending += row.n;
    else if (row.status === "sent" || row.status === "delivered" || row.status === "read")
      c[row.status] += row.n;
    else c.failed += row.n;
  }
  return counts;
}

const toView = (
  row: typeof announcements.$inferSelect,
  counts: Map<number, AnnouncementCounts>,
): AnnouncementView => ({
  id: row.id,
  audience: row.audience as Audience,
  text: row.body,
  urgent: row.urgent,
  status: row.status,
  scheduledAt: row.scheduledAt,
  createdAt: row.createdAt,
  counts: counts.get(row.id) ?? { sent: 0, delivered: 0, read: 0, failed: 0, pending: 0 },
});

export async function listAnnouncements(
  deps: ServiceDeps,
  principal: StaffPrincipal,
  options: { limit: number },
): Promise<AnnouncementView[]> {
  const rows = await deps.db
    .select()
    .from(announcements)
    .where(eq(announcements.schoolId, principal.schoolId))
    .orderBy(desc(announcements.createdAt), desc(announcements.id))
    .limit(options.limit);
  const counts = await countsOf(
    deps,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toView(row, counts));
}

export async function getAnnouncement(
  deps: ServiceDeps,
  principal: StaffPrincipal,
  id: number,
): Promise<AnnouncementView> {
  const [row] = await deps.db
    .select()
    .from(announcements)
    .where(and(eq(announcements.id, id), eq(announcements.schoolId, principal.schoolId)));
  if (!row) throw new ApiError(404, "not_found", `Announcement ${id} not found`);
  return toView(row, await countsOf(deps, [id]));
}
