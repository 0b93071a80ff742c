// Who is who: guardians, their children, staff, and the verified chat addresses that link to them.
import { and, asc, eq, gt } from "drizzle-orm";
import { type Database, placeholder as p, preparedPerDatabase, schema } from "../../db";
import type { StaffRole } from "../../db/schema";
import type { OfficeFunction, RoutingDirectory } from "../domain";
import type { StaffPrincipal } from "../http/app-env";

const {
  schools,
  guardians,
  students,
  classes,
  guardianStudents,
  staff,
  classTeachers,
  channelIdentities,
} = schema;

export interface GuardianProfile {
  guardianId: number;
  schoolId: number;
  firstName: string;
  lastName: string;
  schoolName: string;
  officePhone: string;
  language: string;
  flagged: boolean;
  children: { id: number; name: string; className: string; classId: number }[];
}

export async function loadGuardianProfile(
  db: Database,
  guardianId: number,
): Promise<GuardianProfile | null> {
  const [row] = await db
    .select({ guardian: guardians, school: schools })
    .from(guardians)
    .innerJoin(schools, eq(schools.id, guardians.schoolId))
    .where(eq(guardians.id, guardianId));
  if (!row) return null;
  const children = await db
    .select({
      id: students.id,
      firstName: students.firstName,
      className: classes.name,
      classId: classes.id,
    })
    .from(guardianStudents)
    .innerJoin(students, eq(students.id, guardianStudents.studentId))
    .innerJoin(classes, eq(classes.id, students.classId))
    .where(eq(guardianStudents.guardianId, guardianId))
    .orderBy(asc(students.firstName), asc(students.id));
  return {
    guardianId,
    schoolId: row.school.id,
    firstName: row.guardian.firstName,
    lastName: row.guardian.lastName,
    schoolName: row.school.name,
    officePhone: row.school.officePhone,
    language: row.guardian.language,
    flagged: row.guardian.flaggedAt !== null,
    children: children.map((child) => ({
      id: child.id,
      name: child.firstName,
      className: child.className,
      classId: child.classId,
    })),
  };
}

/** The unexpired link of a chat address, with whom it is verified for (a guardian, a staff member). */
const verifiedLinkQuery = preparedPerDatabase((db) =>
  db
    .select({ guardianId: channelIdentities.guardianId, staffId: channelIdentities.staffId })
    .from(channelIdentities)
    .where(
      and(
        eq(channelIdentities.channel, p("channel")),
        eq(channelIdentities.address, p("address")),
        gt(channelIdentities.expiresAt, p("now")),
      ),
    )
    .prepare(),
);

/** The guardian a chat address is verified for, if the link has not expired. */
export async function findVerifiedGuardianId(
  db: Database,
  channel: string,
  address: string,
  now: number,
): Promise<number | null> {
  const link = await verifiedLinkQuery(db).get({ channel, address, now });
  return link?.guardianId ?? null;
}

/** The staff member a chat address is verified for, if the link has not expired. */
export async function findVerifiedStaffId(
  db: Database,
  channel: string,
  address: string,
  now: number,
): Promise<number | null> {
  const link = await verifiedLinkQuery(db).get({ channel, address, now });
  return link?.staffId ?? null;
}

const guardianByPhoneQuery = preparedPerDatabase((db) =>
  db
    .select({
      id: guardians.id,
      schoolId: guardians.schoolId,
      language: guardians.language,
      officePhone: schools.officePhone,
      schoolName: schools.name,
      timezone: schools.timezone,
    })
    .from(guardians)
    .innerJoin(schools, eq(schools.id, guardians.schoolId))
    .where(eq(guardians.phone, p("phone")))
    .orderBy(asc(guardians.id))
    .prepare(),
);

/**
 * The guardian whose record carries this phone. A phone on record in two schools resolves to the
 * earliest record; choosing between schools is a later concern of the parent flow.
 */
export async function findGuardianByPhone(db: Database, phone: string) {
  return (await guardianByPhoneQuery(db).get({ phone })) ?? null;
}

/**
 * The first guardian (by record) of the child with this admission number: a parent who can't
 * remember which phone the school has can verify by the admission number, and the code goes to
 * the phone on the record, never to one the parent types.
 */
export async function findGuardianByAdmissionNumber(db: Database, admissionNo: string) {
  const normalized = admissionNo.trim().toUpperCase();
  if (!/^[A-Z0-9-]{3,32}$/.test(normalized)) return null;
  const [row] = await db
    .select({ phone: guardians.phone, officePhone: schools.officePhone, schoolName: schools.name })
    .from(students)
    .innerJoin(guardianStudents, eq(guardianStudents.studentId, students.id))
    .innerJoin(guardians, eq(guardians.id, guardianStudents.guardianId))
    .innerJoin(schools, eq(schools.id, students.schoolId))
    .where(eq(students.admissionNo, normalized))
    .orderBy(asc(guardians.id))
    .limit(1);
  return row ?? null;
}

export async function findActiveStaffByPhone(db: Database, phone: string) {
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.phone, phone), eq(staff.active, true)))
    .orderBy(asc(staff.id))
    .limit(1);
  return row ?? null;
}

/** "Ms Rao" — how staff are named to parents. */
export function staffDisplayName(member: {
  title: string;
  firstName: string;
  lastName: string;
}): string {
  return member.title
    ? `${member.title} ${member.lastName}`
    : `${member.firstName} ${member.lastName}`;
}

/** The people a new ticket about `classId` could be routed to, with the labels parents see. */
export async function loadRoutingDirectory(
  db: Database,
  schoolId: number,
  classId: number | null,
): Promise<RoutingDirectory> {
  const members = await db
    .select()
    .from(staff)
    .where(and(eq(staff.schoolId, schoolId), eq(staff.active, true)))
    .orderBy(asc(staff.id));
  const directory: RoutingDirectory = { office: {} };
  for (const member of members) {
    if (member.role === "admin" && !directory.admin) {
      directory.admin = {
        id: member.id,
        label: { role: "admin", name: staffDisplayName(member) },
      };
    }
    if (
      member.role === "office" &&
      member.officeFunction &&
      !directory.office[member.officeFunction]
    ) {
      directory.office[member.officeFunction] = {
        id: member.id,
        label: { role: "office", name: staffDisplayName(member), office: member.officeFunction },
      };
    }
  }
  if (classId !== null) {
    const [teacher] = await db
      .select({ member: staff, className: classes.name })
      .from(classTeachers)
      .innerJoin(staff, eq(staff.id, classTeachers.staffId))
      .innerJoin(classes, eq(classes.id, classTeachers.classId))
      .where(
        and(
          eq(classTeachers.classId, classId),
          eq(classTeachers.isClassTeacher, true),
          eq(staff.active, true),
        ),
      )
      .limit(1);
    if (teacher) {
      directory.classTeacher = {
        id: teacher.member.id,
        label: {
          role: "class_teacher",
          name: staffDisplayName(teacher.member),
          className: teacher.className,
        },
      };
    }
  }
  return directory;
}

/** The principal a staff row acts as. */
export function principalOf(member: {
  id: number;
  schoolId: number;
  role: StaffRole;
  officeFunction: OfficeFunction | null;
}): StaffPrincipal {
  return {
    staffId: member.id,
    schoolId: member.schoolId,
    role: member.role,
    officeFunction: member.officeFunction,
    roles: [member.role],
  };
}

/**
 * The principal a staff member acts as, read now: work decided earlier (a conversation's snapshot,
 * a scheduled announcement) must not act for a member deactivated or given another role since.
 */
export async function activeStaffPrincipal(
  db: Database,
  staffId: number,
): Promise<StaffPrincipal | null> {
  const [row] = await db
    .select()
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.active, true)));
  return row ? principalOf(row) : null;
}
