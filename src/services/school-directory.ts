// The school's directory for staff: classes, students (a teacher sees their classes' only) and staff.
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { staffDisplayName } from "./directory";
import type { StaffViewer } from "./staff-viewer";

const { classes, students, staff, classTeachers, guardians, guardianStudents } = schema;

/** The school's classes; with `taughtBy`, only those that member teaches (class_teachers). */
export async function listClasses(
  db: Database,
  schoolId: number,
  filter: { taughtBy?: number } = {},
) {
  const taught =
    filter.taughtBy === undefined
      ? undefined
      : inArray(
          classes.id,
          db
            .select({ id: classTeachers.classId })
            .from(classTeachers)
            .where(eq(classTeachers.staffId, filter.taughtBy)),
        );
  const rows = await db
    .select()
    .from(classes)
    .where(and(eq(classes.schoolId, schoolId), taught))
    .orderBy(asc(classes.grade), asc(classes.section));
  const teachers = await db
    .select({ classId: classTeachers.classId, member: staff })
    .from(classTeachers)
    .innerJoin(staff, eq(staff.id, classTeachers.staffId))
    .where(and(eq(classTeachers.schoolId, schoolId), eq(classTeachers.isClassTeacher, true)));
  return rows.map((row) => {
    const teacher = teachers.find((t) => t.classId === row.id)?.member;
    return {
      id: row.id,
      name: row.name,
      grade: row.grade,
      section: row.section,
      classTeacher: teacher ? { id: teacher.id, name: staffDisplayName(teacher) } : null,
    };
  });
}

/**
 * The classes a member works with, as the rules that use classes see them: a teacher's tickets and
 * announcements are their classes'; office staff and admins pick from the whole school.
 */
export function listClassesFor(db: Database, viewer: StaffViewer) {
  return listClasses(
    db,
    viewer.schoolId,
    viewer.role === "teacher" ? { taughtBy: viewer.staffId } : {},
  );
}

/** Students of the school; a teacher sees only the classes they teach. */
export async function listStudents(
  db: Database,
  viewer: StaffViewer,
  filter: { classId?: number },
) {
  const taught: SQL | undefined =
    viewer.role === "teacher"
      ? inArray(
          students.classId,
          db
            .select({ id: classTeachers.classId })
            .from(classTeachers)
            .where(eq(classTeachers.staffId, viewer.staffId)),
        )
      : undefined;
  const rows = await db
    .select({ student: students, className: classes.name })
    .from(students)
    .innerJoin(classes, eq(classes.id, students.classId))
    .where(
      and(
        eq(students.schoolId, viewer.schoolId),
        taught,
        filter.classId !== undefined ? eq(students.classId, filter.classId) : undefined,
      ),
    )
    .orderBy(asc(classes.name), asc(students.lastName), asc(students.firstName));
  const links = rows.length
    ? await db
        .select({
          studentId: guardianStudents.studentId,
          guardian: guardians,
          relationship: guardianStudents.relationship,
        })
        .from(guardianStudents)
        .innerJoin(guardians, eq(guardians.id, guardianStudents.guardianId))
        .where(
          inArray(
            guardianStudents.studentId,
            rows.map((row) => row.student.id),
          ),
        )
    : [];
  return rows.map(({ student, className }) => ({
    id: student.id,
    admissionNo: student.admissionNo,
    name: `${student.firstName} ${student.lastName}`,
    classId: student.classId,
    className,
    guardians: links
      .filter((link) => link.studentId === student.id)
      .map((link) => ({
        id: link.guardian.id,
        name: `${link.guardian.firstName} ${link.guardian.lastName}`,
        relationship: link.relationship,
      })),
  }));
}

/** The school's active staff (an admin's edits may ask for the inactive too); phones only for an admin. */
export async function listStaff(
  db: Database,
  viewer: StaffViewer,
  options: { includeInactive?: boolean } = {},
) {
  const rows = await db
    .select()
    .from(staff)
    .where(
      and(
        eq(staff.schoolId, viewer.schoolId),
        options.includeInactive ? undefined : eq(staff.active, true),
      ),
    )
    .orderBy(asc(staff.lastName), asc(staff.firstName));
  return rows.map((member) => ({
    id: member.id,
    name: staffDisplayName(member),
    role: member.role,
    officeFunction: member.officeFunction,
    ...(viewer.role === "admin" ? { phone: member.phone } : {}),
    active: member.active,
  }));
}

/** One guardian of the school with their children, as the admin's directory edits show it. */
export async function findGuardianView(db: Database, schoolId: number, guardianId: number) {
  const [guardian] = await db
    .select()
    .from(guardians)
    .where(and(eq(guardians.id, guardianId), eq(guardians.schoolId, schoolId)));
  if (!guardian) return undefined;
  const children = await db
    .select({ student: students, relationship: guardianStudents.relationship })
    .from(guardianStudents)
    .innerJoin(students, eq(students.id, guardianStudents.studentId))
    .where(eq(guardianStudents.guardianId, guardianId))
    .orderBy(asc(students.id));
  return {
    id: guardian.id,
    name: `${guardian.firstName} ${guardian.lastName}`,
    firstName: guardian.firstName,
    lastName: guardian.lastName,
    phone: guardian.phone,
    language: guardian.language,
    students: children.map(({ student, relationship }) => ({
      id: student.id,
      name: `${student.firstName} ${student.lastName}`,
      relationship,
    })),
  };
}
