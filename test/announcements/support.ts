// Helpers for the announcement tests: the demo school's families by class, and chat addresses
// linked to guardians as verification would leave them.
import { and, eq, inArray } from "drizzle-orm";
import { schema } from "../../db";
import type { TestParentline } from "../support/parentline";

const { guardians, guardianStudents, students, classes, channelIdentities, schools } = schema;

export const GREENFIELD = 1;

/** Greenfield's guardians of children in these classes, with their children's first names. */
export async function guardiansOf(
  app: TestParentline,
  classNames: string[],
  schoolId = GREENFIELD,
) {
  const rows = await app.db
    .select({
      guardianId: guardians.id,
      phone: guardians.phone,
      child: students.firstName,
      className: classes.name,
    })
    .from(guardianStudents)
    .innerJoin(guardians, eq(guardians.id, guardianStudents.guardianId))
    .innerJoin(students, eq(students.id, guardianStudents.studentId))
    .innerJoin(classes, eq(classes.id, students.classId))
    .where(and(eq(classes.schoolId, schoolId), inArray(classes.name, classNames)));
  const byGuardian = new Map<number, { guardianId: number; phone: string; children: string[] }>();
  for (const row of rows) {
    const entry = byGuardian.get(row.guardianId) ?? {
      guardianId: row.guardianId,
      phone: row.phone,
      children: [],
    };
    entry.children.push(row.child);
    byGuardian.set(row.guardianId, entry);
  }
  return [...byGuardian.values()].sort((a, b) => a.guardianId - b.guardianId);
}

/** Links a chat address to a guardian as a verification at `verifiedAt` would. */
export async function linkAddress(
  app: TestParentline,
  guardianId: number,
  link: { channel: string; address: string; verifiedAt?: number; optedOut?: boolean },
) {
  const [guardian] = await app.db.select().from(guardians).where(eq(guardians.id, guardianId));
  if (!guardian) throw new Error(`no guardian ${guardianId}`);
  const now = app.clock.now();
  await app.db.insert(channelIdentities).values({
    channel: link.channel,
    address: link.address,
    schoolId: guardian.schoolId,
    guardianId,
    verifiedAt: link.verifiedAt ?? now - 1000,
    expiresAt: now + 90 * 86_400_000,
    optedOutAt: link.optedOut ? now - 500 : null,
    createdAt: now,
  });
}

/** Links every guardian of these classes by the simulator at their own phone. */
export async function linkAllBySimulator(app: TestParentline, classNames: string[]) {
  const all = await guardiansOf(app, classNames);
  for (const guardian of all)
    await linkAddress(app, guardian.guardianId, { channel: "simulator", address: guardian.phone });
  return all;
}

export async function setSchoolSettings(
  app: TestParentline,
  schoolId: number,
  settings: Record<string, unknown>,
) {
  await app.db.update(schools).set({ settings }).where(eq(schools.id, schoolId));
}

export interface CountsBody {
  recipients: number;
  pending: number;
  waitingForDigest: number;
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  skipped: Record<string, number>;
  byChannel: Record<string, number>;
}

export interface AnnouncementBody {
  id: number;
  status: string;
  text: string;
  urgent: boolean;
  scheduledAt: string | null;
  counts: CountsBody;
}
