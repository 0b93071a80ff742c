// The school's staff alert settings over the API: everyone reads them with their defaults, the
// admin changes them (audited, fields left out kept), and an invalid value is refused with nothing
// changed.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { createTestParentline, STAFF, signInStaff } from "../support/parentline";

describe("the school's staff alert settings", () => {
  it("reads the defaults, and keeps what an admin change leaves out", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const read = await app.json("GET", "/v1/school/staff-alerts", undefined, admin);
    expect(await read.json()).toEqual({ morningSummaryTime: "07:30", slaReminderMinutes: 60 });
    const summary = await app.json(
      "PUT",
      "/v1/school/staff-alerts",
      { morningSummaryTime: "06:45" },
      admin,
    );
    expect(await summary.json()).toEqual({ morningSummaryTime: "06:45", slaReminderMinutes: 60 });
    const lead = await app.json(
      "PUT",
      "/v1/school/staff-alerts",
      { slaReminderMinutes: 30 },
      admin,
    );
    expect(await lead.json()).toEqual({ morningSummaryTime: "06:45", slaReminderMinutes: 30 });
    const [school] = await app.db.select().from(schema.schools).where(eq(schema.schools.id, 1));
    expect(school?.settings).toMatchObject({ morningSummaryTime: "06:45", slaReminderMinutes: 30 });
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "school.staff_alerts"));
    expect(audit.map((entry) => entry.after)).toEqual([
      { morningSummaryTime: "06:45", slaReminderMinutes: 60 },
      { morningSummaryTime: "06:45", slaReminderMinutes: 30 },
    ]);
    // The other school keeps its defaults.
    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    const theirs = await app.json("GET", "/v1/school/staff-alerts", undefined, riverside);
    expect(await theirs.json()).toEqual({ morningSummaryTime: "07:30", slaReminderMinutes: 60 });
  });

  it("refuses a reminder lead out of range, a malformed time and an unknown field, changing nothing", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const [before] = await app.db.select().from(schema.schools).where(eq(schema.schools.id, 1));
    for (const body of [
      { slaReminderMinutes: 0 },
      { slaReminderMinutes: 481 },
      { slaReminderMinutes: 30.5 },
      { morningSummaryTime: "7:30" },
      { morningSummaryTime: "24:00" },
      { slaReminderMinutes: 30, quietHours: null },
    ]) {
      const response = await app.json("PUT", "/v1/school/staff-alerts", body, admin);
      expect(response.status, JSON.stringify(body)).toBe(422);
      const { error } = (await response.json()) as { error: { code: string } };
      expect(error.code).toBe("validation_failed");
    }
    const [after] = await app.db.select().from(schema.schools).where(eq(schema.schools.id, 1));
    expect(after?.settings).toEqual(before?.settings);
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "school.staff_alerts"));
    expect(audit).toEqual([]);
  });

  it("lets only an admin change them", async () => {
    const app = await createTestParentline();
    const teacher = await signInStaff(app, STAFF.rao);
    const response = await app.json(
      "PUT",
      "/v1/school/staff-alerts",
      { slaReminderMinutes: 30 },
      teacher,
    );
    expect(response.status).toBe(403);
    const read = await app.json("GET", "/v1/school/staff-alerts", undefined, teacher);
    expect(await read.json()).toEqual({ morningSummaryTime: "07:30", slaReminderMinutes: 60 });
  });
});
