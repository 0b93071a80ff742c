// Many families at once, for the broadcast crash test and bench:broadcast: each family is one
// guardian with one child in one of the school's classes, verified on one chat channel (so an
// announcement reaches them there). Plain prepared statements in one transaction: 50,000 families
// take well under a second, so the setup does not drown what is measured.
import type { Database } from "../../db";

export interface FamiliesSpec {
  schoolId: number;
  count: number;
  /** The channel every guardian is verified on (its address is their phone). */
  channel: string;
  /** When they verified; their links stay valid for a year from then. */
  now: number;
}

/** The n-th family's phone: +1 646 5xx xxxx, fictional and distinct for n < 10,000,000. */
export const familyPhone = (n: number) => `+1646${String(5_000_000 + n).padStart(7, "0")}`;

/** Adds the families; returns their phones in order. */
export function addFamilies(db: Database, spec: FamiliesSpec): string[] {
  const client = db.$client;
  const classIds = client
    .prepare<[number], { id: number }>("select id from classes where school_id = ? order by id")
    .all(spec.schoolId)
    .map((row) => row.id);
  if (classIds.length === 0) throw new Error(`school ${spec.schoolId} has no classes`);
  const insertGuardian = client.prepare(
    `insert into guardians (school_id, first_name, last_name, phone, language, preferences, created_at)
      values (?, ?, 'Family', ?, 'en', '{}', ?)`,
  );
  const insertStudent = client.prepare(
    `insert into students (school_id, class_id, admission_no, first_name, last_name, created_at)
      values (?, ?, ?, ?, 'Family', ?)`,
  );
  const link = client.prepare(
    "insert into guardian_students (guardian_id, student_id, school_id, relationship) values (?, ?, ?, 'guardian')",
  );
  const verify = client.prepare(
    `insert into channel_identities (channel, address, school_id, guardian_id, verified_at, expires_at, created_at)
      values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const yearMs = 365 * 86_400_000;
  const phones: string[] = [];
  client.transaction(() => {
    for (let n = 0; n < spec.count; n++) {
      const phone = familyPhone(n);
      const guardianId = Number(
        insertGuardian.run(spec.schoolId, `Parent${n}`, phone, spec.now).lastInsertRowid,
      );
      const studentId = Number(
        insertStudent.run(
          spec.schoolId,
          classIds[n % classIds.length],
          `BULK-${n}`,
          `Child${n}`,
          spec.now,
        ).lastInsertRowid,
      );
      link.run(guardianId, studentId, spec.schoolId);
      verify.run(
        spec.channel,
        phone,
        spec.schoolId,
        guardianId,
        spec.now,
        spec.now + yearMs,
        spec.now,
      );
      phones.push(phone);
    }
  })();
  return phones;
}
