// The directory of demo personas for the simulator: every guardian and staff member per school.
import { asc, eq } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { staffDisplayName } from "./directory";

const { schools, guardians, guardianStudents, students, classes, staff, classTeachers } = schema;

export async function loadDemoDirectory(db: Database) {
  const allSchools = await db.select().from(schools).orderBy(asc(schools.id));
  const children = await db
    .select({
      guardianId: guardianStudents.guardianId,
      name: students.firstName,
      className: classes.name,
    })
    .from(guardianStudents)
    .innerJoin(students, eq(students.id, guardianStudents.studentId))
    .innerJoin(classes, eq(classes.id, students.classId))
    .orderBy(asc(students.id));
  const taught = await db
    .select({ staffId: classTeachers.staffId, className: classes.name })
    .from(classTeachers)
    .innerJoin(classes, eq(classes.id, classTeachers.classId))
    .orderBy(asc(classes.name));
  const allGuardians = await db.select().from(guardians).orderBy(asc(guardians.id));
  const allStaff = await db.select().from(staff).orderBy(asc(staff.id));

  return {
    schools: allSchools.map((school) => ({
      id: school.id,
      name: school.name,
      guardians: allGuardians
        .filter((guardian) => guardian.schoolId === school.id)
        .map((guardian) => ({
          id: guardian.id,
          name: `${guardian.firstName} ${guardian.lastName}`,
          phone: guardian.phone,
          children: children
            .filter((child) => child.guardianId === guardian.id)
            .map(({ name, className }) => ({ name, className })),
        })),
      staff: allStaff
        .filter((member) => member.schoolId === school.id)
        .map((member) => ({
          id: member.id,
          name: staffDisplayName(member),
          role: member.role,
          officeFunction: member.officeFunction,
          phone: member.phone,
          classes: taught.filter((row) => row.staffId === member.id).map((row) => row.className),
        })),
    })),
  };
}
