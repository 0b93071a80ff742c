import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";

async function upload(app: TestParentline, token: string, csv: string, query = "") {
  const response = await app.app.request(`/v1/import/roster${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: csv,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const counts = async (app: TestParentline) => ({
  classes: (await app.db.select().from(schema.classes)).length,
  students: (await app.db.select().from(schema.students)).length,
  guardians: (await app.db.select().from(schema.guardians)).length,
  links: (await app.db.select().from(schema.guardianStudents)).length,
});

// A semicolon export with the information system's own header names, a BOM and CRLF line ends.
const GOOD = [
  "\uFEFFAdmission Number;Forename;Surname;Form;Parent Name;Parent Mobile;Relation",
  "GF-2025-001;Lena;Ortiz;6A;Maria Ortiz;(415) 555-0161;Mother",
  'GF-2025-001;Lena;Ortiz;6A;"Ortiz, Jorge";415-555-0162;father',
  "GF-2025-002;Sam;Ng;Grade 6 A;Wei Ng;+1 415 555 0163;",
  "GF-2024-001;Renamed;Child;5A;Rename Me;+14155550164;",
].join("\r\n");

describe("importing the roster", () => {
  it("creates classes, students, guardians and links, updates what changed, and audits it once", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const before = await counts(app);

    const dry = await upload(app, admin, GOOD, "?dryRun=true");
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, applied: false, rows: 4, rejected: [] });
    expect(await counts(app)).toEqual(before);

    const result = await upload(app, admin, GOOD);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ applied: true, rows: 4, rejected: [] });
    expect(result.body.created).toEqual([
      { row: 2, entity: "class", key: "6A" },
      { row: 2, entity: "student", key: "GF-2025-001" },
      { row: 2, entity: "guardian", key: "+14155550161" },
      { row: 2, entity: "link", key: "GF-2025-001 ↔ +14155550161" },
      { row: 3, entity: "guardian", key: "+14155550162" },
      { row: 3, entity: "link", key: "GF-2025-001 ↔ +14155550162" },
      { row: 4, entity: "student", key: "GF-2025-002" },
      { row: 4, entity: "guardian", key: "+14155550163" },
      { row: 4, entity: "link", key: "GF-2025-002 ↔ +14155550163" },
      { row: 5, entity: "guardian", key: "+14155550164" },
      { row: 5, entity: "link", key: "GF-2024-001 ↔ +14155550164" },
    ]);
    expect(result.body.updated).toEqual([{ row: 5, entity: "student", key: "GF-2024-001" }]);
    expect(await counts(app)).toEqual({
      classes: before.classes + 1,
      students: before.students + 2,
      guardians: before.guardians + 4,
      links: before.links + 4,
    });
    const [jorge] = await app.db
      .select()
      .from(schema.guardians)
      .where(eq(schema.guardians.phone, "+14155550162"));
    expect(jorge).toMatchObject({ firstName: "Jorge", lastName: "Ortiz" });
    const audit = await app.db.select().from(schema.auditLog);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "roster.import",
        after: expect.objectContaining({ student: { created: 2, updated: 1 } }),
      }),
    ]);

    // The same file again changes nothing.
    const again = await upload(app, admin, GOOD);
    expect(again.body).toMatchObject({ applied: true, created: [], updated: [] });
  });

  it("writes nothing when any row is refused, and says which rows and why", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const before = await counts(app);
    const csv = [
      "admission_no,first_name,last_name,class,guardian_name,guardian_phone",
      "GF-2025-010,Ana,Lima,6B,Rosa Lima,+14155550171",
      "GF-2025-011,,Lima,6B,Rosa Lima,+14155550171",
      "GF-2025-012,Ben,Cole,Sixth,Ann Cole,12",
      "GF-2025-010,Ana,Lima,6C,Rosa Lima,+14155550171",
      "GF-2025-013,Cal,Dunn,6B,Other Person,+14155550171",
    ].join("\n");
    const result = await upload(app, admin, csv);
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({ applied: false, rows: 5 });
    expect(result.body.rejected).toEqual([
      { row: 3, errors: [{ column: "first_name", message: "is empty" }] },
      {
        row: 4,
        errors: [
          { column: "class", message: 'is not a class such as "5A"' },
          { column: "guardian_phone", message: '"12" is not a phone number' },
        ],
      },
      {
        row: 5,
        errors: [
          { column: "admission_no", message: "row 2 gives this student another name or class" },
        ],
      },
      {
        row: 6,
        errors: [{ column: "guardian_phone", message: "row 2 gives this phone to Rosa Lima" }],
      },
    ]);
    expect(await counts(app)).toEqual(before);
    expect(await app.db.select().from(schema.auditLog)).toEqual([]);
  });

  it("refuses a file without the required columns, and anyone but an admin", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const missing = await upload(app, admin, "name,phone\nAna,+14155550171\n");
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      error: {
        details: {
          missingColumns: ["admission_no", "first_name", "last_name", "class", "guardian_name"],
        },
      },
    });
    const office = await signInStaff(app, STAFF.frontOffice);
    expect((await upload(app, office, GOOD)).status).toBe(403);
  });

  it("refuses a file with an unclosed quote with 422 naming the line, and writes nothing", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const before = await counts(app);
    const csv = [
      "admission_no,first_name,last_name,class,guardian_name,guardian_phone",
      "GF-2025-020,Ana,Lima,6B,Rosa Lima,+14155550171",
      'GF-2025-021,Ben,"Cole,6B,Ann Cole,+14155550172',
      "GF-2025-022,Cal,Dunn,6B,Dan Dunn,+14155550173",
    ].join("\n");
    for (const query of ["", "?dryRun=true"]) {
      const result = await upload(app, admin, csv, query);
      expect(result.status).toBe(422);
      expect(result.body).toEqual({
        error: {
          code: "validation_failed",
          message: "The roster cannot be read: line 3: a quoted field opens and is never closed",
          details: { line: 3 },
        },
      });
    }
    expect(await counts(app)).toEqual(before);
    expect(await app.db.select().from(schema.auditLog)).toEqual([]);
  });
});
