// Guardians' preferences: staff set them on the guardian's behalf (office and admins), and they
// decide the channel (order), whether announcements come at all (off), or once a day (digest).
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { getPreferences, setPreferences } from "../../src/services/guardian-preferences";
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

const { outbox, auditLog, guardians, announcementRecipients } = schema;
const NOON = Date.parse("2026-11-23T20:00:00Z"); // 12:00 in Greenfield (Los Angeles)
const SIX_PM = Date.parse("2026-11-24T02:00:00Z"); // 18:00 the same day in Greenfield

async function put(app: TestParentline, token: string, guardianId: number, body: unknown) {
  const response = await app.json("PUT", `/v1/guardians/${guardianId}/preferences`, body, token);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function announce(app: TestParentline, token: string, body: Record<string, unknown>) {
  const response = await app.json("POST", "/v1/announcements", body, token);
  expect(response.status).toBe(201);
  return (await response.json()) as AnnouncementBody;
}

const fiveA = { kind: "classes", classes: ["5A"] };

describe("guardian preferences over the API", () => {
  it("are read and set by office staff and admins, audited, and refused to teachers", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const [guardian] = await guardiansOf(app, ["5A"]);
    if (!guardian) throw new Error("no guardian");
    await linkAddress(app, guardian.guardianId, { channel: "sms", address: guardian.phone });
    await app.db
      .update(guardians)
      .set({ preferences: { theme: "kept" } })
      .where(eq(guardians.id, guardian.guardianId));
    const office = await signInStaff(app, STAFF.frontOffice);

    const read = await app.json(
      "GET",
      `/v1/guardians/${guardian.guardianId}/preferences`,
      undefined,
      office,
    );
    expect(await read.json()).toEqual({
      guardianId: guardian.guardianId,
      channelOrder: [],
      announcements: "instant",
      channels: [
        { channel: "sms", verifiedAt: new Date(NOON - 1000).toISOString(), optedOut: false },
      ],
    });
    const changed = await put(app, office, guardian.guardianId, {
      channelOrder: ["telegram", "sms"],
      announcements: "digest",
    });
    expect(changed).toMatchObject({
      status: 200,
      body: { channelOrder: ["telegram", "sms"], announcements: "digest" },
    });
    const [stored] = await app.db
      .select()
      .from(guardians)
      .where(eq(guardians.id, guardian.guardianId));
    expect(stored?.preferences).toEqual({
      theme: "kept",
      channelOrder: ["telegram", "sms"],
      announcements: "digest",
    });
    const [audit] = await app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "guardian.preferences"));
    expect(audit).toMatchObject({
      actorType: "staff",
      entityId: String(guardian.guardianId),
      before: { channelOrder: [], announcements: "instant" },
      after: { channelOrder: ["telegram", "sms"], announcements: "digest" },
    });

    const refusals = [
      await put(app, office, guardian.guardianId, { channelOrder: ["pigeon"] }),
      await put(app, office, guardian.guardianId, { announcements: "sometimes" }),
      await put(app, office, guardian.guardianId, {}),
      await put(app, office, guardian.guardianId, { channelOrder: ["sms", "sms"] }),
    ];
    expect(refusals.map((refusal) => refusal.status)).toEqual([422, 422, 422, 422]);

    const teacher = await signInStaff(app, STAFF.rao);
    expect((await put(app, teacher, guardian.guardianId, { announcements: "off" })).status).toBe(
      403,
    );
    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    expect((await put(app, riverside, guardian.guardianId, { announcements: "off" })).status).toBe(
      404,
    );
    expect(
      (
        await app.json(
          "GET",
          `/v1/guardians/${guardian.guardianId}/preferences`,
          undefined,
          riverside,
        )
      ).status,
    ).toBe(404);
  });

  it("are the same through the service the chat's settings menu calls, as the guardian", async () => {
    const app = await createTestParentline();
    const [guardian] = await guardiansOf(app, ["5A"]);
    if (!guardian) throw new Error("no guardian");
    const actor = {
      type: "guardian" as const,
      guardianId: guardian.guardianId,
      schoolId: GREENFIELD,
    };
    const deps = { db: app.db, now: app.clock.now };
    const result = await setPreferences(deps, actor, guardian.guardianId, { announcements: "off" });
    expect(result).toMatchObject({
      ok: true,
      preferences: { announcements: "off", channelOrder: [] },
    });
    expect(await getPreferences(deps, GREENFIELD, guardian.guardianId)).toMatchObject({
      announcements: "off",
    });
    expect(await getPreferences(deps, 2, guardian.guardianId)).toBeNull();
    const [audit] = await app.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "guardian.preferences"));
    expect(audit).toMatchObject({ actorType: "guardian", actorId: guardian.guardianId });
  });
});

describe("preferences deciding what reaches a guardian", () => {
  it("put a chosen channel first, and skip a guardian who turned announcements off unless urgent", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const [ordered, silent] = await guardiansOf(app, ["5A"]);
    if (!ordered || !silent) throw new Error("5A has two guardians");
    await linkAddress(app, ordered.guardianId, {
      channel: "telegram",
      address: "7001",
      verifiedAt: NOON - 1000,
    });
    await linkAddress(app, ordered.guardianId, {
      channel: "sms",
      address: ordered.phone,
      verifiedAt: NOON - 9000,
    });
    await linkAddress(app, silent.guardianId, { channel: "sms", address: silent.phone });
    const admin = await signInStaff(app, STAFF.admin);
    await put(app, admin, ordered.guardianId, { channelOrder: ["sms"] });
    await put(app, admin, silent.guardianId, { announcements: "off" });

    const calm = await announce(app, admin, { audience: fiveA, text: "Book fair" });
    expect(calm.counts).toMatchObject({ skipped: { announcements_off: 1 }, byChannel: { sms: 1 } });
    const calmRows = await app.db.select().from(outbox).where(eq(outbox.announcementId, calm.id));
    expect(calmRows.map((row) => [row.channel, row.address])).toEqual([["sms", ordered.phone]]);

    const urgent = await announce(app, admin, {
      audience: fiveA,
      text: "Early closing",
      urgent: true,
    });
    expect(urgent.counts.skipped.announcements_off).toBe(0);
    const urgentRows = await app.db
      .select()
      .from(outbox)
      .where(eq(outbox.announcementId, urgent.id));
    expect(urgentRows.map((row) => row.address).sort()).toEqual(
      [ordered.phone, silent.phone].sort(),
    );
  });

  it("hold a digest guardian's announcements for one message at 18:00 that counts for each", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const families = await linkAllBySimulator(app, ["5A"]);
    const digester = families[0];
    if (!digester) throw new Error("no guardian");
    const admin = await signInStaff(app, STAFF.admin);
    await put(app, admin, digester.guardianId, { announcements: "digest" });

    const first = await announce(app, admin, { audience: fiveA, text: "Picnic on Friday" });
    app.clock.advance(60_000);
    const second = await announce(app, admin, { audience: fiveA, text: "Bring a hat" });
    const urgent = await announce(app, admin, { audience: fiveA, text: "Closed", urgent: true });
    expect(first.counts).toMatchObject({ waitingForDigest: 1, pending: families.length });
    const toDigester = async () =>
      app.db
        .select()
        .from(outbox)
        .where(and(eq(outbox.address, digester.phone), eq(outbox.kind, "announcement")));
    // Only the urgent one reaches them during the day.
    expect((await toDigester()).map((row) => row.announcementId)).toEqual([urgent.id]);

    app.clock.set(SIX_PM - 60_000);
    expect(await app.announcementJobs.runDue()).toMatchObject({ digests: 0 });
    app.clock.set(SIX_PM);
    expect(await app.announcementJobs.runDue()).toMatchObject({ digests: 1 });
    expect(await app.announcementJobs.runDue()).toMatchObject({ digests: 0 });
    const digest = (await toDigester()).find((row) => row.announcementId === null);
    const child = digester.children[0];
    expect(digest?.body).toBe(
      `Today's 2 announcements from Greenfield Primary School:\n1. About ${child}: Picnic on Friday\n2. About ${child}: Bring a hat`,
    );
    expect(digest?.nextAttemptAt).toBe(SIX_PM);
    const linked = await app.db
      .select()
      .from(announcementRecipients)
      .where(eq(announcementRecipients.guardianId, digester.guardianId));
    expect(linked.filter((row) => row.outboxId === digest?.id)).toHaveLength(2);

    await app.dispatcher.dispatchDue();
    await app.announcementJobs.runDue();
    for (const id of [first.id, second.id]) {
      const detail = (await (
        await app.json(
          "GET",
          `/v1/announcements/${id}`,
          undefined,
          await signInStaff(app, STAFF.admin),
        )
      ).json()) as AnnouncementBody;
      expect(detail).toMatchObject({
        status: "sent",
        counts: { sent: families.length, pending: 0, waitingForDigest: 0 },
      });
    }
  });
});
