import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";

async function send(
  app: TestParentline,
  token: string,
  method: string,
  path: string,
  body: unknown,
) {
  const response = await app.json(method, path, body, token);
  return {
    status: response.status,
    body: (await response.json()) as Record<string, unknown> & {
      id: number;
      error?: { code: string; details?: { path: string }[] };
    },
  };
}

describe("the admin's directory edits", () => {
  it("create and update classes, students, guardians and staff, each audited", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);

    const created = await send(app, admin, "POST", "/v1/classes", { grade: 6, section: "A" });
    expect(created).toMatchObject({
      status: 201,
      body: { name: "6A", grade: 6, classTeacher: null },
    });
    const classId = created.body.id;

    const student = await send(app, admin, "POST", "/v1/students", {
      admissionNo: "GF-2025-900",
      firstName: "Ada",
      lastName: "Moss",
      classId,
    });
    expect(student).toMatchObject({ status: 201, body: { name: "Ada Moss", className: "6A" } });

    const guardian = await send(app, admin, "POST", "/v1/guardians", {
      firstName: "Ruth",
      lastName: "Moss",
      phone: "(415) 555-0177",
      students: [{ id: student.body.id, relationship: "mother" }],
    });
    expect(guardian).toMatchObject({
      status: 201,
      body: { phone: "+14155550177", students: [{ id: student.body.id, relationship: "mother" }] },
    });

    const teacher = await send(app, admin, "POST", "/v1/staff", {
      title: "Mr",
      firstName: "Omar",
      lastName: "Said",
      phone: "+1 415 555 0178",
      role: "teacher",
    });
    expect(teacher).toMatchObject({
      status: 201,
      body: { name: "Mr Said", role: "teacher", phone: "+14155550178", active: true },
    });

    expect(
      await send(app, admin, "PATCH", `/v1/classes/${classId}`, { section: "C" }),
    ).toMatchObject({ status: 200, body: { name: "6C" } });
    expect(
      await send(app, admin, "PATCH", `/v1/students/${student.body.id}`, { lastName: "Moss-Lee" }),
    ).toMatchObject({ status: 200, body: { name: "Ada Moss-Lee", className: "6C" } });
    expect(
      await send(app, admin, "PATCH", `/v1/guardians/${guardian.body.id}`, { students: [] }),
    ).toMatchObject({ status: 200, body: { students: [] } });
    expect(
      await send(app, admin, "PATCH", `/v1/staff/${teacher.body.id}`, {
        role: "office",
        officeFunction: "transport",
        active: false,
      }),
    ).toMatchObject({
      status: 200,
      body: { role: "office", officeFunction: "transport", active: false },
    });

    const audit = await app.db.select().from(schema.auditLog);
    expect(audit.map((entry) => [entry.action, entry.entityId])).toEqual([
      ["class.create", String(classId)],
      ["student.create", String(student.body.id)],
      ["guardian.create", String(guardian.body.id)],
      ["staff.create", String(teacher.body.id)],
      ["class.update", String(classId)],
      ["student.update", String(student.body.id)],
      ["guardian.update", String(guardian.body.id)],
      ["staff.update", String(teacher.body.id)],
    ]);
    expect(audit[4]).toMatchObject({
      before: { section: "A", name: "6A" },
      after: { section: "C", name: "6C" },
    });
  });

  it("answers 409 for a taken class name, admission number or phone, and changes nothing", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const [existing] = await app.db.select().from(schema.students).where(eq(schema.students.id, 1));
    const conflicts = [
      await send(app, admin, "POST", "/v1/classes", { grade: 5, section: "A" }),
      await send(app, admin, "POST", "/v1/students", {
        admissionNo: existing?.admissionNo,
        firstName: "A",
        lastName: "B",
        classId: 1,
      }),
      await send(app, admin, "POST", "/v1/guardians", {
        firstName: "A",
        lastName: "B",
        phone: "+14155550101",
      }),
      await send(app, admin, "POST", "/v1/staff", {
        firstName: "A",
        lastName: "B",
        phone: STAFF.rao,
        role: "teacher",
      }),
      await send(app, admin, "PATCH", "/v1/classes/2", { name: "3A" }),
    ];
    expect(
      conflicts.map((c) => [c.status, c.body.error?.code, c.body.error?.details?.[0]?.path]),
    ).toEqual([
      [409, "duplicate", "name"],
      [409, "duplicate", "admissionNo"],
      [409, "duplicate", "phone"],
      [409, "duplicate", "phone"],
      [409, "duplicate", "name"],
    ]);
    expect(await app.db.select().from(schema.auditLog)).toEqual([]);
  });

  it("answers 422 for invalid bodies and another school's ids inside them, 404 for another school's rows", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const [riversideClass] = await app.db
      .select()
      .from(schema.classes)
      .where(eq(schema.classes.id, 7));
    expect(riversideClass?.schoolId).not.toBe(1);
    const refusals = [
      await send(app, admin, "POST", "/v1/classes", { grade: "five", section: "A" }),
      await send(app, admin, "POST", "/v1/students", {
        admissionNo: "X-1",
        firstName: "A",
        lastName: "B",
        classId: 7,
      }),
      await send(app, admin, "POST", "/v1/guardians", {
        firstName: "A",
        lastName: "B",
        phone: "not a phone",
      }),
      await send(app, admin, "POST", "/v1/guardians", {
        firstName: "A",
        lastName: "B",
        phone: "+14155550166",
        students: [{ id: 9999 }],
      }),
      await send(app, admin, "POST", "/v1/staff", {
        firstName: "A",
        lastName: "B",
        phone: "+14155550165",
        role: "office",
      }),
      await send(app, admin, "PATCH", "/v1/staff/1", {}),
    ];
    expect(refusals.map((r) => [r.status, r.body.error?.details?.[0]?.path])).toEqual([
      [422, "grade"],
      [422, "classId"],
      [422, "phone"],
      [422, "students.0.id"],
      [422, "officeFunction"],
      [422, ""],
    ]);
    expect((await send(app, admin, "PATCH", "/v1/classes/7", { name: "Mine" })).status).toBe(404);
    expect((await send(app, admin, "PATCH", "/v1/students/99999", { firstName: "X" })).status).toBe(
      404,
    );
    const teacher = await signInStaff(app, STAFF.rao);
    expect(
      (await send(app, teacher, "POST", "/v1/classes", { grade: 6, section: "B" })).status,
    ).toBe(403);
    expect(await app.db.select().from(schema.auditLog)).toEqual([]);
  });
});
