// How announcements go out: quiet hours by the school's clock (urgent ones go at once), and what
// staff see of each one afterwards: counts from the outbox rows, and each recipient, page by page.
import { eq } from "drizzle-orm";
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
  linkAllBySimulator,
  setSchoolSettings,
} from "./support";

const { outbox, announcementRecipients } = schema;
/** The test clock starts at 2026-11-23T09:00Z: 01:00 in Greenfield (Los Angeles), quiet hours. */
const QUIET_HOURS_END = Date.parse("2026-11-23T15:00:00Z"); // 07:00 PST

async function announce(app: TestParentline, token: string, body: Record<string, unknown>) {
  const response = await app.json("POST", "/v1/announcements", body, token);
  expect(response.status).toBe(201);
  return (await response.json()) as AnnouncementBody;
}

const rowsOf = (app: TestParentline, id: number) =>
  app.db.select().from(outbox).where(eq(outbox.announcementId, id));

const fiveA = { kind: "classes", classes: ["5A"] };

describe("quiet hours", () => {
  it("hold a non-urgent announcement made at night until 07:00, while an urgent one goes now", async () => {
    const app = await createTestParentline();
    const families = await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    const night = app.clock.now();

    const calm = await announce(app, admin, { audience: fiveA, text: "Library books due" });
    const urgent = await announce(app, admin, {
      audience: fiveA,
      text: "School closed today",
      urgent: true,
    });
    expect((await rowsOf(app, calm.id)).map((row) => row.nextAttemptAt)).toEqual(
      families.map(() => QUIET_HOURS_END),
    );
    expect((await rowsOf(app, urgent.id)).every((row) => row.nextAttemptAt === night)).toBe(true);

    await app.dispatcher.dispatchDue();
    expect((await rowsOf(app, urgent.id)).every((row) => row.status === "sent")).toBe(true);
    expect((await rowsOf(app, calm.id)).every((row) => row.status === "pending")).toBe(true);

    app.clock.set(QUIET_HOURS_END);
    await app.dispatcher.dispatchDue();
    expect((await rowsOf(app, calm.id)).every((row) => row.status === "sent")).toBe(true);
  });

  it("follow the school's own settings, or none at all", async () => {
    const app = await createTestParentline();
    await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    await setSchoolSettings(app, GREENFIELD, { quietHours: { start: "22:00", end: "05:30" } });
    const early = await announce(app, admin, { audience: fiveA, text: "Early start" });
    expect((await rowsOf(app, early.id))[0]?.nextAttemptAt).toBe(
      Date.parse("2026-11-23T13:30:00Z"),
    );
    await setSchoolSettings(app, GREENFIELD, { quietHours: null });
    const now = await announce(app, admin, { audience: fiveA, text: "Now" });
    expect((await rowsOf(app, now.id))[0]?.nextAttemptAt).toBe(app.clock.now());
  });
});

describe("announcement reports", () => {
  it("count sent, delivered, read, failed and pending from the outbox, and list each recipient", async () => {
    const app = await createTestParentline();
    app.clock.set(QUIET_HOURS_END + 3_600_000);
    const families = await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    const created = await announce(app, admin, { audience: fiveA, text: "Sports day" });
    await app.dispatcher.dispatchDue();
    const rows = (await rowsOf(app, created.id)).sort((a, b) => a.id - b.id);
    const [read, delivered, undelivered, fellBack, stillPending] = rows;
    if (!read || !delivered || !undelivered || !fellBack || !stillPending)
      throw new Error("5A has 5+ families");
    const receipt = (row: typeof read, status: "delivered" | "read" | "undelivered") =>
      app.roadHandle.recordReceipt({
        channel: "simulator",
        providerMessageId: row.providerMessageId ?? "",
        status,
      });
    await receipt(read, "read");
    await receipt(delivered, "delivered");
    await receipt(undelivered, "undelivered");
    // The dispatcher's fallback: the first row failed, a copy went by SMS instead, and the
    // recipient follows the copy.
    await app.db.update(outbox).set({ status: "failed" }).where(eq(outbox.id, fellBack.id));
    const { id: _id, ...copy } = fellBack;
    const [fallback] = await app.db
      .insert(outbox)
      .values({ ...copy, channel: "sms", status: "delivered" })
      .returning();
    await app.db
      .update(announcementRecipients)
      .set({ outboxId: fallback?.id ?? 0, channel: "sms" })
      .where(eq(announcementRecipients.outboxId, fellBack.id));
    await app.db.update(outbox).set({ status: "pending" }).where(eq(outbox.id, stillPending.id));

    const detail = await app.json(
      "GET",
      `/v1/announcements/${created.id}?limit=2`,
      undefined,
      admin,
    );
    const body = (await detail.json()) as AnnouncementBody & {
      recipients: { guardianId: number; status: string; channel: string }[];
      nextCursor: string | null;
    };
    const others = families.length - 5;
    expect(body.counts).toEqual({
      recipients: families.length,
      pending: 1,
      waitingForDigest: 0,
      sent: 3 + others,
      delivered: 3,
      read: 1,
      failed: 1,
      skipped: { no_channel: 0, opted_out: 0, announcements_off: 0 },
      byChannel: { simulator: families.length - 1, sms: 1 },
    });
    expect(body.recipients).toHaveLength(2);
    expect(body.nextCursor).not.toBeNull();

    // Every recipient, page by page, each once.
    const seen: { guardianId: number; status: string }[] = [...body.recipients];
    let cursor = body.nextCursor;
    while (cursor) {
      const page = (await (
        await app.json(
          "GET",
          `/v1/announcements/${created.id}?limit=2&cursor=${cursor}`,
          undefined,
          admin,
        )
      ).json()) as typeof body;
      seen.push(...page.recipients);
      cursor = page.nextCursor;
    }
    expect(seen.map((recipient) => recipient.guardianId)).toEqual(
      families.map((family) => family.guardianId),
    );
    expect(seen.map((recipient) => recipient.status).sort()).toEqual(
      [
        "read",
        "delivered",
        "undelivered",
        "delivered",
        "pending",
        ...families.slice(5).map(() => "sent"),
      ].sort(),
    );

    const list = await app.json("GET", "/v1/announcements", undefined, admin);
    const listed = (await list.json()) as { announcements: AnnouncementBody[] };
    expect(listed.announcements.map((one) => [one.id, one.counts.read])).toEqual([[created.id, 1]]);
    const bad = await app.json(
      "GET",
      `/v1/announcements/${created.id}?cursor=abc`,
      undefined,
      admin,
    );
    expect(bad.status).toBe(422);
    expect((await app.json("GET", "/v1/announcements/77", undefined, admin)).status).toBe(404);
  });
});
