// POST /v1/import/roster's work: the school's CSV compared with its directory, and every class,
// student, guardian and link it adds or changes written in one commit — or nothing, when any row
// is refused. A dry run reports the same without writing.
import { and, eq, type SQL, sql } from "drizzle-orm";
import { schema } from "../../db";
import { parseRoster, type RosterEntry, type RosterRejection } from "../domain/roster";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { classes, students, guardians, guardianStudents } = schema;

export interface RosterChange {
  row: number;
  entity: "class" | "student" | "guardian" | "link";
  /** The class name, admission number, guardian phone, or "admission number ↔ phone". */
  key: string;
}

export interface RosterReport {
  dryRun: boolean;
  applied: boolean;
  rows: number;
  created: RosterChange[];
  updated: RosterChange[];
  rejected: RosterRejection[];
}

export type RosterImportResult =
  | Extract<ReturnType<typeof parseRoster>, { ok: false }>
  | { ok: true; report: RosterReport };

export async function importRoster(
  deps: ServiceDeps,
  actor: { staffId: number; schoolId: number },
  csv: string,
  options: { dryRun: boolean },
): Promise<RosterImportResult> {
  const parsed = parseRoster(csv, deps.config.defaultCountry);
  if (!parsed.ok) return parsed;
  const { schoolId } = actor;
  const db = deps.db;
  const [classRows, studentRows, guardianRows, linkRows] = await Promise.all([
    db.select().from(classes).where(eq(classes.schoolId, schoolId)),
    db.select().from(students).where(eq(students.schoolId, schoolId)),
    db.select().from(guardians).where(eq(guardians.schoolId, schoolId)),
    db.select().from(guardianStudents).where(eq(guardianStudents.schoolId, schoolId)),
  ]);
  const classByName = new Map(classRows.map((row) => [row.name.toUpperCase(), row]));
  const studentByNo = new Map(studentRows.map((row) => [row.admissionNo, row]));
  const guardianByPhone = new Map(guardianRows.map((row) => [row.phone, row]));
  const links = new Map(linkRows.map((row) => [`${row.guardianId}:${row.studentId}`, row]));

  const uow = new UnitOfWork();
  const created: RosterChange[] = [];
  const updated: RosterChange[] = [];
  const rejected = [...parsed.rejected];
  const seen = new Map<string, RosterEntry>();
  const classId = (name: string): SQL =>
    sql`(select ${classes.id} from ${classes} where ${classes.schoolId} = ${schoolId} and ${classes.name} = ${name})`;
  const studentId = (no: string): SQL =>
    sql`(select ${students.id} from ${students} where ${students.schoolId} = ${schoolId} and ${students.admissionNo} = ${no})`;
  const guardianId = (phone: string): SQL =>
    sql`(select ${guardians.id} from ${guardians} where ${guardians.schoolId} = ${schoolId} and ${guardians.phone} = ${phone})`;

  for (const entry of parsed.entries) {
    // One phone is one guardian: two rows may not give it two different people.
    const samePhone = seen.get(`phone:${entry.guardianPhone}`);
    if (
      samePhone &&
      (samePhone.guardianFirstName !== entry.guardianFirstName ||
        samePhone.guardianLastName !== entry.guardianLastName)
    ) {
      rejected.push({
        row: entry.row,
        errors: [
          {
            column: "guardian_phone",
            message: `row ${samePhone.row} gives this phone to ${samePhone.guardianFirstName} ${samePhone.guardianLastName}`,
          },
        ],
      });
      continue;
    }
    seen.set(`phone:${entry.guardianPhone}`, samePhone ?? entry);
    const change = (list: RosterChange[], entity: RosterChange["entity"], key: string) =>
      list.push({ row: entry.row, entity, key });

    if (!classByName.has(entry.className) && !seen.has(`class:${entry.className}`)) {
      seen.set(`class:${entry.className}`, entry);
      uow.plan(
        db
          .insert(classes)
          .values({ schoolId, grade: entry.grade, section: entry.section, name: entry.className }),
      );
      change(created, "class", entry.className);
    }

    const student = studentByNo.get(entry.admissionNo);
    const classOfStudent = classByName.get(entry.className);
    if (!seen.has(`student:${entry.admissionNo}`)) {
      seen.set(`student:${entry.admissionNo}`, entry);
      const values = {
        firstName: entry.firstName,
        lastName: entry.lastName,
        classId: classOfStudent?.id ?? classId(entry.className),
      };
      if (!student) {
        uow.plan(
          db.insert(students).values({
            schoolId,
            admissionNo: entry.admissionNo,
            ...values,
          } as typeof students.$inferInsert),
        );
        change(created, "student", entry.admissionNo);
      } else if (
        student.firstName !== entry.firstName ||
        student.lastName !== entry.lastName ||
        student.classId !== classOfStudent?.id
      ) {
        uow.plan(
          db
            .update(students)
            .set(values as Partial<typeof students.$inferInsert>)
            .where(eq(students.id, student.id)),
        );
        change(updated, "student", entry.admissionNo);
      }
    }

    const guardian = guardianByPhone.get(entry.guardianPhone);
    if (!samePhone) {
      const names = { firstName: entry.guardianFirstName, lastName: entry.guardianLastName };
      if (!guardian) {
        uow.plan(db.insert(guardians).values({ schoolId, phone: entry.guardianPhone, ...names }));
        change(created, "guardian", entry.guardianPhone);
      } else if (guardian.firstName !== names.firstName || guardian.lastName !== names.lastName) {
        uow.plan(db.update(guardians).set(names).where(eq(guardians.id, guardian.id)));
        change(updated, "guardian", entry.guardianPhone);
      }
    }

    const link = guardian && student ? links.get(`${guardian.id}:${student.id}`) : undefined;
    const linkKey = `${entry.admissionNo} ↔ ${entry.guardianPhone}`;
    if (seen.has(`link:${linkKey}`)) continue;
    seen.set(`link:${linkKey}`, entry);
    if (!link) {
      uow.plan(
        db.insert(guardianStudents).values({
          schoolId,
          guardianId: guardianId(entry.guardianPhone),
          studentId: studentId(entry.admissionNo),
          relationship: entry.relationship,
        } as unknown as typeof guardianStudents.$inferInsert),
      );
      change(created, "link", linkKey);
    } else if (link.relationship !== entry.relationship) {
      uow.plan(
        db
          .update(guardianStudents)
          .set({ relationship: entry.relationship })
          .where(
            and(
              eq(guardianStudents.guardianId, link.guardianId),
              eq(guardianStudents.studentId, link.studentId),
            ),
          ),
      );
      change(updated, "link", linkKey);
    }
  }

  rejected.sort((a, b) => a.row - b.row);
  const rows = parsed.entries.length + parsed.rejected.length;
  const report: RosterReport = {
    dryRun: options.dryRun,
    applied: false,
    rows,
    created,
    updated,
    rejected,
  };
  if (rejected.length > 0 || options.dryRun) return { ok: true, report };
  const count = (list: RosterChange[], entity: RosterChange["entity"]) =>
    list.filter((c) => c.entity === entity).length;
  planAudit(deps, uow, {
    schoolId,
    actorType: "staff",
    actorId: actor.staffId,
    action: "roster.import",
    entity: "roster",
    entityId: "import",
    after: Object.fromEntries(
      (["class", "student", "guardian", "link"] as const).map((entity) => [
        entity,
        { created: count(created, entity), updated: count(updated, entity) },
      ]),
    ),
  });
  await uow.commit(db);
  return { ok: true, report: { ...report, applied: true } };
}
