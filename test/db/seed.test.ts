import { and, asc, count, eq, type SQL } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { type NodeDatabase as Database, openSqliteDatabase } from "../../db/node";
import {
  classes,
  classTeachers,
  guardianStudents,
  guardians,
  schools,
  staff,
  students,
} from "../../db/schema";
import { seedDemoData } from "../../db/seed";

const NOW = Date.UTC(2024, 8, 2, 15, 0, 0);
const PHONE = /^\+1(415|212)55501\d\d$/;

async function seeded(): Promise<Database> {
  const db = openSqliteDatabase(":memory:");
  await expect(seedDemoData(db, NOW)).resolves.toEqual({ seeded: true });
  return db;
}

function schoolId(db: Database, slug: string): number {
  const row = db.select({ id: schools.id }).from(schools).where(eq(schools.slug, slug)).get();
  if (!row) throw new Error(`no school ${slug}`);
  return row.id;
}

/** The children (with class names) of the guardian holding `phone`. */
function childrenOf(db: Database, phone: string) {
  return db
    .select({ studentId: students.id, className: classes.name })
    .from(guardians)
    .innerJoin(guardianStudents, eq(guardianStudents.guardianId, guardians.id))
    .innerJoin(students, eq(students.id, guardianStudents.studentId))
    .innerJoin(classes, eq(classes.id, students.classId))
    .where(eq(guardians.phone, phone))
    .all();
}

function classTeacherOf(db: Database, slug: string, className: string) {
  return db
    .select({ title: staff.title, firstName: staff.firstName, lastName: staff.lastName })
    .from(classTeachers)
    .innerJoin(classes, eq(classes.id, classTeachers.classId))
    .innerJoin(staff, eq(staff.id, classTeachers.staffId))
    .where(
      and(
        eq(classTeachers.schoolId, schoolId(db, slug)),
        eq(classes.name, className),
        eq(classTeachers.isClassTeacher, true),
      ),
    )
    .all();
}

function rowCount(db: Database, table: SQLiteTable, where?: SQL): number {
  return db.select({ n: count() }).from(table).where(where).get()?.n ?? 0;
}

function counts(db: Database) {
  return {
    schools: rowCount(db, schools),
    classes: rowCount(db, classes),
    staff: rowCount(db, staff),
    classTeachers: rowCount(db, classTeachers),
    students: rowCount(db, students),
    guardians: rowCount(db, guardians),
    guardianStudents: rowCount(db, guardianStudents),
  };
}

/** Everything a person would read, in id order, for comparing two seeds. */
function dump(db: Database) {
  return {
    schools: db.select().from(schools).orderBy(asc(schools.id)).all(),
    classes: db.select().from(classes).orderBy(asc(classes.id)).all(),
    staff: db.select().from(staff).orderBy(asc(staff.id)).all(),
    classTeachers: db
      .select()
      .from(classTeachers)
      .orderBy(asc(classTeachers.classId), asc(classTeachers.staffId))
      .all(),
    students: db.select().from(students).orderBy(asc(students.id)).all(),
    guardians: db.select().from(guardians).orderBy(asc(guardians.id)).all(),
    guardianStudents: db
      .select()
      .from(guardianStudents)
      .orderBy(asc(guardianStudents.guardianId), asc(guardianStudents.studentId))
      .all(),
  };
}

describe("seedDemoData", () => {
  it("creates the two demo schools", async () => {
    const db = await seeded();
    const rows = db
      .select({
        slug: schools.slug,
        name: schools.name,
        timezone: schools.timezone,
        officePhone: schools.officePhone,
      })
      .from(schools)
      .orderBy(asc(schools.id))
      .all();
    expect(rows).toEqual([
      {
        slug: "greenfield",
        name: "Greenfield Primary School",
        timezone: "America/Los_Angeles",
        officePhone: "+14155550100",
      },
      {
        slug: "riverside",
        name: "Riverside Academy",
        timezone: "America/New_York",
        officePhone: "+12125550100",
      },
    ]);
    db.$client.close();
  });

  it("gives each school six classes, 35-45 students and the expected staff", async () => {
    const db = await seeded();
    for (const slug of ["greenfield", "riverside"]) {
      const id = schoolId(db, slug);
      const classNames = db
        .select({ name: classes.name })
        .from(classes)
        .where(eq(classes.schoolId, id))
        .orderBy(asc(classes.name))
        .all()
        .map((c) => c.name);
      expect(classNames).toEqual(["3A", "3B", "4A", "4B", "5A", "5B"]);

      const studentCount = rowCount(db, students, eq(students.schoolId, id));
      expect(studentCount).toBeGreaterThanOrEqual(35);
      expect(studentCount).toBeLessThanOrEqual(45);

      const members = db.select().from(staff).where(eq(staff.schoolId, id)).all();
      expect(members.filter((m) => m.role === "teacher")).toHaveLength(7);
      expect(members.filter((m) => m.role === "admin")).toHaveLength(1);
      expect(
        members
          .filter((m) => m.role === "office")
          .map((m) => m.officeFunction)
          .sort(),
      ).toEqual(["accounts", "front", "transport"]);

      const links = db.select().from(classTeachers).where(eq(classTeachers.schoolId, id)).all();
      expect(links.filter((l) => l.isClassTeacher)).toHaveLength(6);
      const subjectLinks = links.filter((l) => !l.isClassTeacher);
      expect(subjectLinks).toHaveLength(2);
      expect(new Set(subjectLinks.map((l) => l.staffId)).size).toBe(1);
      expect(subjectLinks.every((l) => typeof l.subject === "string" && l.subject !== "")).toBe(
        true,
      );
    }
    db.$client.close();
  });

  it("keeps the documented facts about the first guardians and 5A", async () => {
    const db = await seeded();
    for (const [slug, area] of [
      ["greenfield", "415"],
      ["riverside", "212"],
    ] as const) {
      const id = schoolId(db, slug);
      const firstTwo = db
        .select({ phone: guardians.phone })
        .from(guardians)
        .where(eq(guardians.schoolId, id))
        .orderBy(asc(guardians.id))
        .limit(2)
        .all();
      expect(firstTwo.map((g) => g.phone)).toEqual([`+1${area}5550101`, `+1${area}5550102`]);

      const first = childrenOf(db, `+1${area}5550101`);
      expect(first).toHaveLength(2);
      expect(new Set(first.map((c) => c.className)).size).toBe(2);

      const second = childrenOf(db, `+1${area}5550102`);
      expect(second.map((c) => c.className)).toEqual(["5A"]);
    }
    expect(classTeacherOf(db, "greenfield", "5A")).toEqual([
      { title: "Ms", firstName: "Priya", lastName: "Rao" },
    ]);
    expect(classTeacherOf(db, "riverside", "5A")).toHaveLength(1);
    db.$client.close();
  });

  it("links every student to a guardian, with siblings and two-guardian children", async () => {
    const db = await seeded();
    for (const slug of ["greenfield", "riverside"]) {
      const id = schoolId(db, slug);
      const studentIds = db
        .select({ id: students.id })
        .from(students)
        .where(eq(students.schoolId, id))
        .all()
        .map((s) => s.id);
      const links = db
        .select()
        .from(guardianStudents)
        .where(eq(guardianStudents.schoolId, id))
        .all();

      const guardiansPerStudent = new Map<number, number>();
      const childrenPerGuardian = new Map<number, number>();
      for (const link of links) {
        guardiansPerStudent.set(link.studentId, (guardiansPerStudent.get(link.studentId) ?? 0) + 1);
        childrenPerGuardian.set(
          link.guardianId,
          (childrenPerGuardian.get(link.guardianId) ?? 0) + 1,
        );
        expect(["mother", "father", "grandmother", "guardian"]).toContain(link.relationship);
      }
      for (const studentId of studentIds) {
        expect(guardiansPerStudent.get(studentId) ?? 0).toBeGreaterThanOrEqual(1);
      }
      const withSiblings = [...childrenPerGuardian.values()].filter((n) => n >= 2).length;
      const withTwoGuardians = [...guardiansPerStudent.values()].filter((n) => n >= 2).length;
      expect(withSiblings).toBeGreaterThanOrEqual(5);
      expect(withTwoGuardians).toBeGreaterThanOrEqual(5);

      // Siblings share their guardian's last name, and every link stays inside the school.
      const joined = db
        .select({
          guardian: guardians.lastName,
          student: students.lastName,
          sid: students.schoolId,
        })
        .from(guardianStudents)
        .innerJoin(guardians, eq(guardians.id, guardianStudents.guardianId))
        .innerJoin(students, eq(students.id, guardianStudents.studentId))
        .where(eq(guardianStudents.schoolId, id))
        .all();
      for (const row of joined) {
        expect(row.student).toBe(row.guardian);
        expect(row.sid).toBe(id);
      }

      const languages = new Set(
        db
          .select({ language: guardians.language })
          .from(guardians)
          .where(eq(guardians.schoolId, id))
          .all()
          .map((g) => g.language),
      );
      expect(languages).toEqual(new Set(["en", "es"]));
    }
    db.$client.close();
  });

  it("uses unique fictional 555-01xx phone numbers", async () => {
    const db = await seeded();
    const phones = [
      ...db.select({ phone: schools.officePhone }).from(schools).all(),
      ...db.select({ phone: staff.phone }).from(staff).all(),
      ...db.select({ phone: guardians.phone }).from(guardians).all(),
    ].map((r) => r.phone);
    expect(phones.length).toBeGreaterThan(80);
    for (const phone of phones) expect(phone).toMatch(PHONE);
    expect(new Set(phones).size).toBe(phones.length);

    // Each school's numbers carry its own area code.
    for (const [slug, area] of [
      ["greenfield", "415"],
      ["riverside", "212"],
    ] as const) {
      const id = schoolId(db, slug);
      const own = [
        ...db.select({ phone: staff.phone }).from(staff).where(eq(staff.schoolId, id)).all(),
        ...db
          .select({ phone: guardians.phone })
          .from(guardians)
          .where(eq(guardians.schoolId, id))
          .all(),
      ];
      for (const { phone } of own) expect(phone.startsWith(`+1${area}`)).toBe(true);
    }
    db.$client.close();
  });

  it("is deterministic across databases", async () => {
    const a = await seeded();
    const b = await seeded();
    expect(counts(b)).toEqual(counts(a));
    expect(dump(b)).toEqual(dump(a));
    const createdAt = new Set(dump(a).guardians.map((g) => g.createdAt));
    expect(createdAt).toEqual(new Set([NOW]));
    a.$client.close();
    b.$client.close();
  });

  it("does nothing when schools already exist", async () => {
    const db = await seeded();
    const before = counts(db);
    await expect(seedDemoData(db, NOW + 1000)).resolves.toEqual({ seeded: false });
    expect(counts(db)).toEqual(before);
    db.$client.close();
  });
});
