// Who may announce to whom (teachers their own classes, admins the school, office staff not at
// all, other schools never), scheduling with the injected clock, cancelling, withdrawing at release
// what its author may no longer send, and the audit log.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  codeIn,
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";
import { type AnnouncementBody, GREENFIELD, guardiansOf, linkAllBySimulator } from "./support";

const { outbox, auditLog, announcements, staff, students, classes } = schema;
const NOON = Date.parse("2026-11-23T20:00:00Z"); // 12:00 in Greenfield
/** Mr Kevin Lindqvist teaches Science in 5A and 5B (class_teachers, not their class teacher). */
const LINDQVIST = "+14155550186";
const HOUR = 3_600_000;

type Reply = AnnouncementBody & { error?: { code: string; message: string } };

async function call(
  app: TestParentline,
  token: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await app.json(method, path, body, token);
  return { status: response.status, body: (await response.json()) as Reply };
}

const to = (...classes: string[]) => ({ audience: { kind: "classes", classes }, text: "Hello" });

describe("who may announce", () => {
  it("lets a teacher announce to the classes they teach and nowhere else", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const rao = await signInStaff(app, STAFF.rao);
    expect((await call(app, rao, "POST", "/v1/announcements", to("5A"))).status).toBe(201);
    const other = await call(app, rao, "POST", "/v1/announcements", to("5A", "5B", "4B"));
    expect([other.status, other.body.error?.code, other.body.error?.message]).toEqual([
      403,
      "not_your_class",
      "Teachers announce only to their own classes; not to 4B, 5B",
    ]);
    const school = await call(app, rao, "POST", "/v1/announcements", {
      audience: { kind: "school" },
      text: "Hi",
    });
    expect(school.status).toBe(403);
    expect(
      (
        await call(app, rao, "POST", "/v1/announcements/preview", {
          audience: { kind: "grades", grades: ["5"] },
        })
      ).status,
    ).toBe(403);

    // A subject teacher's classes count as theirs.
    const lindqvist = await signInStaff(app, LINDQVIST);
    expect((await call(app, lindqvist, "POST", "/v1/announcements", to("5A", "5B"))).status).toBe(
      201,
    );
    // A student of another class is out of reach as well.
    const [outsider] = await app.db
      .select({ admissionNo: schema.students.admissionNo })
      .from(schema.students)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.students.classId))
      .where(eq(schema.classes.name, "3A"))
      .limit(1);
    const byStudent = await call(app, rao, "POST", "/v1/announcements", {
      audience: { kind: "students", admissionNumbers: [outsider?.admissionNo] },
      text: "Hi",
    });
    expect(byStudent.status).toBe(403);
  });

  it("refuses office staff, and keeps other schools' announcements and families out of reach", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const office = await signInStaff(app, STAFF.frontOffice);
    const refused = await call(app, office, "POST", "/v1/announcements", to("5A"));
    expect([refused.status, refused.body.error?.code]).toEqual([403, "forbidden"]);
    expect(
      (
        await call(app, office, "POST", "/v1/announcements/preview", {
          audience: { kind: "school" },
        })
      ).status,
    ).toBe(403);

    const admin = await signInStaff(app, STAFF.admin);
    const created = await call(app, admin, "POST", "/v1/announcements", {
      ...to("5A"),
      scheduledAt: new Date(NOON + HOUR).toISOString(),
    });
    // Office staff read announcements but may not cancel them.
    expect((await call(app, office, "GET", `/v1/announcements/${created.body.id}`)).status).toBe(
      200,
    );
    expect(
      (await call(app, office, "POST", `/v1/announcements/${created.body.id}/cancel`)).status,
    ).toBe(403);

    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    expect((await call(app, riverside, "GET", `/v1/announcements/${created.body.id}`)).status).toBe(
      404,
    );
    expect(
      (await call(app, riverside, "POST", `/v1/announcements/${created.body.id}/cancel`)).status,
    ).toBe(404);
    const list = await app.json("GET", "/v1/announcements", undefined, riverside);
    expect(await list.json()).toEqual({ announcements: [], nextCursor: null });
    // Greenfield's admission numbers are unknown at Riverside.
    const [greenfieldChild] = await app.db.select().from(schema.students).limit(1);
    const foreign = await call(app, riverside, "POST", "/v1/announcements", {
      audience: { kind: "students", admissionNumbers: [greenfieldChild?.admissionNo] },
      text: "Hi",
    });
    expect([foreign.status, foreign.body.error?.code]).toEqual([422, "unknown_audience"]);
    // Riverside's own 5A reaches Riverside families only.
    await linkAllBySimulator(app, ["5A"]);
    const theirs = await call(app, riverside, "POST", "/v1/announcements", to("5A"));
    expect(theirs.status).toBe(201);
    const rows = await app.db
      .select()
      .from(outbox)
      .where(eq(outbox.announcementId, theirs.body.id));
    expect(rows.every((row) => row.schoolId === 2)).toBe(true);
  });
});

describe("scheduled announcements", () => {
  it("wait until their time, then go to the audience as it is then", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    let admin = await signInStaff(app, STAFF.admin);
    const at = NOON + 2 * HOUR;
    const created = await call(app, admin, "POST", "/v1/announcements", {
      ...to("5A"),
      scheduledAt: new Date(at).toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "scheduled",
      scheduledAt: new Date(at).toISOString(),
      counts: { recipients: 0 },
    });
    // Families who verify before it goes are reached.
    const families = await linkAllBySimulator(app, ["5A"]);

    app.clock.set(at - 1000);
    expect(await app.announcementJobs.runDue()).toMatchObject({ released: 0 });
    expect(await app.db.select().from(outbox).where(eq(outbox.kind, "announcement"))).toEqual([]);

    // Access tokens last less than the two hours waited (signing in sends what is due: nothing yet).
    admin = await signInStaff(app, STAFF.admin);
    app.clock.set(at);
    expect(await app.announcementJobs.runDue()).toMatchObject({ released: 1 });
    const rows = await app.db
      .select()
      .from(outbox)
      .where(eq(outbox.announcementId, created.body.id));
    expect(rows).toHaveLength(families.length);
    expect(rows.every((row) => row.nextAttemptAt === at)).toBe(true);
    const detail = await call(app, admin, "GET", `/v1/announcements/${created.body.id}`);
    expect(detail.body).toMatchObject({
      status: "sending",
      counts: { recipients: families.length, pending: families.length },
    });

    // Too late to cancel now.
    const late = await call(app, admin, "POST", `/v1/announcements/${created.body.id}/cancel`);
    expect([late.status, late.body.error?.code]).toEqual([409, "not_cancellable"]);

    // Once every message has gone, the announcement is sent.
    await app.dispatcher.dispatchDue();
    expect(await app.announcementJobs.runDue()).toMatchObject({ finished: 1 });
    const sent = await call(app, admin, "GET", `/v1/announcements/${created.body.id}`);
    expect(sent.body).toMatchObject({
      status: "sent",
      counts: { sent: families.length, pending: 0 },
    });
  });

  it("are withdrawn at their time, audited with the reason, if their author may no longer send them", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    await linkAllBySimulator(app, ["5A", "4A"]);
    // Both have verified a staff chat, where an author still on the staff hears why.
    for (const phone of [STAFF.rao, LINDQVIST])
      await app.say(phone, codeIn((await app.say(phone, "hi")).texts));
    const rao = await signInStaff(app, STAFF.rao);
    const lindqvist = await signInStaff(app, LINDQVIST);
    let admin = await signInStaff(app, STAFF.admin);
    const [pupil] = await app.db
      .select({ id: students.id, admissionNo: students.admissionNo })
      .from(students)
      .innerJoin(classes, eq(classes.id, students.classId))
      .where(and(eq(classes.schoolId, GREENFIELD), eq(classes.name, "5A")))
      .limit(1);
    const [fourA] = await app.db
      .select()
      .from(classes)
      .where(and(eq(classes.schoolId, GREENFIELD), eq(classes.name, "4A")));
    if (!pupil || !fourA) throw new Error("demo data lacks a 5A pupil or a 4A class");
    const at = NOON + HOUR;
    const scheduledAt = new Date(at).toISOString();
    const byRao = await call(app, rao, "POST", "/v1/announcements", { ...to("5A"), scheduledAt });
    const byLindqvist = await call(app, lindqvist, "POST", "/v1/announcements", {
      audience: { kind: "students", admissionNumbers: [pupil.admissionNo] },
      text: "Bring your lab coat",
      scheduledAt,
    });
    const byAdmin = await call(app, admin, "POST", "/v1/announcements", {
      ...to("5A"),
      scheduledAt,
    });
    expect([byRao.status, byLindqvist.status, byAdmin.status]).toEqual([201, 201, 201]);

    // Before their time, Ms Rao leaves the school and the pupil moves to 4A, which Mr Lindqvist
    // does not teach.
    const [raoRow] = await app.db.select().from(staff).where(eq(staff.phone, STAFF.rao));
    expect(
      (await call(app, admin, "PATCH", `/v1/staff/${raoRow?.id}`, { active: false })).status,
    ).toBe(200);
    expect(
      (await call(app, admin, "PATCH", `/v1/students/${pupil.id}`, { classId: fourA.id })).status,
    ).toBe(200);

    app.clock.set(at);
    expect(await app.announcementJobs.runDue()).toMatchObject({ released: 1 });
    admin = await signInStaff(app, STAFF.admin); // the morning's token has expired
    const queued = await app.db.select().from(outbox).where(eq(outbox.kind, "announcement"));
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((row) => row.announcementId === byAdmin.body.id)).toBe(true);
    const statusOf = async (id: number) =>
      (await call(app, admin, "GET", `/v1/announcements/${id}`)).body.status;
    expect(await statusOf(byRao.body.id)).toBe("cancelled");
    expect(await statusOf(byLindqvist.body.id)).toBe("cancelled");
    expect(await statusOf(byAdmin.body.id)).toBe("sending");

    const withdrawn = await app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "announcement.withdraw"));
    expect(
      withdrawn.map((entry) => [
        entry.entityId,
        entry.actorType,
        (entry.after as { reason: string }).reason,
      ]),
    ).toEqual([
      [String(byRao.body.id), "system", "author_inactive"],
      [String(byLindqvist.body.id), "system", "not_your_class"],
    ]);
    await app.dispatcher.dispatchDue();
    const lastTo = async (phone: string) =>
      (
        (await (
          await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(phone)}`)
        ).json()) as { messages: { text: string; kind: string }[] }
      ).messages.at(-1);
    expect(await lastTo(LINDQVIST)).toMatchObject({
      kind: "alert",
      text: `Announcement #${byLindqvist.body.id} was not sent at its scheduled time: Teachers announce only to their own classes; not to 4A.`,
    });
    expect((await lastTo(STAFF.rao))?.kind).not.toBe("alert"); // she has left: not told
    // Withdrawn is final: a later run sends neither.
    app.clock.set(at + HOUR);
    expect(await app.announcementJobs.runDue()).toMatchObject({ released: 0 });
  });

  it("refuse a time in the past with a clear message", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const admin = await signInStaff(app, STAFF.admin);
    const past = await call(app, admin, "POST", "/v1/announcements", {
      ...to("5A"),
      scheduledAt: new Date(NOON - 60_000).toISOString(),
    });
    expect([past.status, past.body.error?.code]).toEqual([422, "past_schedule"]);
    expect(past.body.error?.message).toContain("has already passed");
    const garbled = await call(app, admin, "POST", "/v1/announcements", {
      ...to("5A"),
      scheduledAt: "Friday",
    });
    expect([garbled.status, garbled.body.error?.code]).toEqual([422, "validation_failed"]);
    expect(await app.db.select().from(announcements)).toEqual([]);
  });

  it("can be cancelled before they go, by their teacher or an admin, audited", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    await linkAllBySimulator(app, ["5A"]);
    const rao = await signInStaff(app, STAFF.rao);
    const lindqvist = await signInStaff(app, LINDQVIST);
    const admin = await signInStaff(app, STAFF.admin);
    const later = { ...to("5A"), scheduledAt: new Date(NOON + HOUR).toISOString() };
    const mine = await call(app, rao, "POST", "/v1/announcements", later);
    const theirs = await call(app, lindqvist, "POST", "/v1/announcements", later);

    expect(
      (await call(app, rao, "POST", `/v1/announcements/${theirs.body.id}/cancel`)).status,
    ).toBe(403);
    const cancelled = await call(app, rao, "POST", `/v1/announcements/${mine.body.id}/cancel`);
    expect([cancelled.status, cancelled.body.status]).toEqual([200, "cancelled"]);
    expect((await call(app, rao, "POST", `/v1/announcements/${mine.body.id}/cancel`)).status).toBe(
      409,
    );
    expect(
      (await call(app, admin, "POST", `/v1/announcements/${theirs.body.id}/cancel`)).status,
    ).toBe(200);
    expect((await call(app, admin, "POST", "/v1/announcements/999/cancel")).status).toBe(404);

    app.clock.set(NOON + 2 * HOUR);
    expect(await app.announcementJobs.runDue()).toMatchObject({ released: 0 });
    expect(await app.db.select().from(outbox).where(eq(outbox.kind, "announcement"))).toEqual([]);

    const audit = await app.db.select().from(auditLog).where(eq(auditLog.entity, "announcement"));
    expect(audit.map((entry) => [entry.action, entry.entityId, entry.actorType])).toEqual([
      ["announcement.create", String(mine.body.id), "staff"],
      ["announcement.create", String(theirs.body.id), "staff"],
      ["announcement.cancel", String(mine.body.id), "staff"],
      ["announcement.cancel", String(theirs.body.id), "staff"],
    ]);
    expect((await guardiansOf(app, ["5A"])).length).toBeGreaterThan(0);
  });
});
