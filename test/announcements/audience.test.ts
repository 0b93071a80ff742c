// Who an announcement reaches: school, grade, class, several classes, admission numbers; one message
// per guardian naming their children; the preferred channel; opted-out and unreachable guardians.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";
import {
  type AnnouncementBody,
  GREENFIELD,
  guardiansOf,
  linkAddress,
  linkAllBySimulator,
} from "./support";

const { outbox, announcementRecipients, students, guardians } = schema;
const NOON = Date.parse("2026-11-23T20:00:00Z"); // 12:00 in Greenfield (Los Angeles)

async function setUp() {
  const app = await createTestParentline();
  app.clock.set(NOON);
  return { app, admin: await signInStaff(app, STAFF.admin) };
}

async function announce(app: TestParentline, token: string, body: Record<string, unknown>) {
  const response = await app.json("POST", "/v1/announcements", body, token);
  return {
    status: response.status,
    body: (await response.json()) as AnnouncementBody & {
      error?: { code: string; message: string; details?: unknown };
    },
  };
}

async function preview(app: TestParentline, token: string, audience: unknown, urgent = false) {
  const response = await app.json("POST", "/v1/announcements/preview", { audience, urgent }, token);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const announcementRows = (app: TestParentline, id: number) =>
  app.db.select().from(outbox).where(eq(outbox.announcementId, id));

describe("announcement audiences", () => {
  it("reach every guardian of the school once, and count those without a channel", async () => {
    const { app, admin } = await setUp();
    const all = await app.db.select().from(guardians).where(eq(guardians.schoolId, GREENFIELD));
    const linked = await linkAllBySimulator(app, ["3A"]);
    const result = await preview(app, admin, { kind: "school" });
    expect(result).toEqual({
      status: 200,
      body: {
        guardians: all.length,
        reached: linked.length,
        byChannel: { simulator: linked.length },
        digest: 0,
        unreachable: { no_channel: all.length - linked.length, opted_out: 0, announcements_off: 0 },
      },
    });
    // A preview writes nothing.
    expect(await app.db.select().from(schema.announcements)).toEqual([]);
  });

  it("resolve a grade to both of its classes and a class to its own families", async () => {
    const { app, admin } = await setUp();
    const grade5 = await linkAllBySimulator(app, ["5A", "5B"]);
    const fiveA = await guardiansOf(app, ["5A"]);
    expect((await preview(app, admin, { kind: "grades", grades: ["5"] })).body).toMatchObject({
      guardians: grade5.length,
      reached: grade5.length,
    });
    expect((await preview(app, admin, { kind: "classes", classes: ["5a"] })).body).toMatchObject({
      guardians: fiveA.length,
      reached: fiveA.length,
    });
    expect(fiveA.length).toBeLessThan(grade5.length);
  });

  it("sends one message per guardian for several classes, naming each of their children there", async () => {
    const { app, admin } = await setUp();
    const families = await linkAllBySimulator(app, ["5A", "5B"]);
    const created = await announce(app, admin, {
      audience: { kind: "classes", classes: ["5A", "5B"] },
      text: "Picnic on Friday",
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: "sending",
      counts: { recipients: families.length, pending: families.length },
    });

    const rows = await announcementRows(app, created.body.id);
    expect(rows).toHaveLength(families.length);
    const siblings = families.find((family) => family.children.length === 2);
    if (!siblings) throw new Error("the demo data has a family with children in 5A and 5B");
    const [first, second] = [...siblings.children].sort();
    const theirs = rows.filter((row) => row.address === siblings.phone);
    expect(theirs.map((row) => row.body)).toEqual([
      `About ${first} and ${second}: Picnic on Friday`,
    ]);
    expect(rows.every((row) => row.kind === "announcement" && row.status === "pending")).toBe(true);

    // Each recipient points at the message to its own address.
    const recipients = await app.db
      .select({ guardianId: announcementRecipients.guardianId, address: outbox.address })
      .from(announcementRecipients)
      .innerJoin(outbox, eq(outbox.id, announcementRecipients.outboxId))
      .where(eq(announcementRecipients.announcementId, created.body.id));
    expect(recipients).toHaveLength(families.length);
    for (const recipient of recipients)
      expect(families.find((family) => family.guardianId === recipient.guardianId)?.phone).toBe(
        recipient.address,
      );
  });

  it("takes a list of admission numbers, whatever their case", async () => {
    const { app, admin } = await setUp();
    const [one, two] = await app.db
      .select()
      .from(students)
      .where(eq(students.schoolId, GREENFIELD))
      .limit(2);
    if (!one || !two) throw new Error("no students");
    const links = await app.db.select().from(schema.guardianStudents);
    const theirGuardians = new Set(
      links
        .filter((link) => link.studentId === one.id || link.studentId === two.id)
        .map((link) => link.guardianId),
    );
    const result = await preview(app, admin, {
      kind: "students",
      admissionNumbers: [one.admissionNo, two.admissionNo.toLowerCase()],
    });
    expect(result.status).toBe(200);
    expect(result.body.guardians).toBe(theirGuardians.size);
  });

  it("go to the address verified most recently, and skip an opted-out one for the next", async () => {
    const { app, admin } = await setUp();
    const [a, b, c] = await guardiansOf(app, ["5A"]);
    if (!a || !b || !c) throw new Error("5A has at least three guardians");
    const now = app.clock.now();
    await linkAddress(app, a.guardianId, {
      channel: "sms",
      address: a.phone,
      verifiedAt: now - 9000,
    });
    await linkAddress(app, a.guardianId, {
      channel: "telegram",
      address: "5001",
      verifiedAt: now - 1000,
    });
    await linkAddress(app, b.guardianId, {
      channel: "telegram",
      address: "5002",
      verifiedAt: now - 1000,
      optedOut: true,
    });
    await linkAddress(app, b.guardianId, {
      channel: "sms",
      address: b.phone,
      verifiedAt: now - 9000,
    });
    await linkAddress(app, c.guardianId, { channel: "sms", address: c.phone, optedOut: true });

    const created = await announce(app, admin, {
      audience: { kind: "classes", classes: ["5A"] },
      text: "Bring a hat",
    });
    const rows = await announcementRows(app, created.body.id);
    expect(rows.map((row) => [row.channel, row.address]).sort()).toEqual([
      ["sms", b.phone],
      ["telegram", "5001"],
    ]);
    expect(created.body.counts.skipped).toMatchObject({ opted_out: 1 });
    expect(created.body.counts.byChannel).toEqual({ sms: 1, telegram: 1 });
    const [skipped] = await app.db
      .select()
      .from(announcementRecipients)
      .where(
        and(
          eq(announcementRecipients.announcementId, created.body.id),
          eq(announcementRecipients.guardianId, c.guardianId),
        ),
      );
    expect(skipped).toMatchObject({ skippedReason: "opted_out", outboxId: null });
  });

  it("refuse unknown classes, grades and admission numbers by name, writing nothing", async () => {
    const { app, admin } = await setUp();
    const cases: [unknown, string][] = [
      [{ kind: "classes", classes: ["5A", "9Z", "7Q"] }, "Unknown class: 9Z, 7Q"],
      [{ kind: "grades", grades: ["5", "12"] }, "Unknown grade: 12"],
      [
        { kind: "students", admissionNumbers: ["GF-0000-999"] },
        "Unknown admission number: GF-0000-999",
      ],
    ];
    for (const [audience, message] of cases) {
      const created = await announce(app, admin, { audience, text: "Hello" });
      expect([created.status, created.body.error?.code, created.body.error?.message]).toEqual([
        422,
        "unknown_audience",
        message,
      ]);
      expect((await preview(app, admin, audience)).status).toBe(422);
    }
    const invalid = await announce(app, admin, {
      audience: { kind: "classes", classes: [] },
      text: " ",
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error?.code).toBe("validation_failed");
    expect(await app.db.select().from(schema.announcements)).toEqual([]);
    expect(await app.db.select().from(outbox).where(eq(outbox.kind, "announcement"))).toEqual([]);
  });
});
