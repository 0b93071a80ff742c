// An announcement's optional attachment (a photo or document at a public https link): checked at
// the API, kept on the announcement, written on every recipient's outbox row, handed to the channel,
// and carried through a scheduled release and a digest as the same link.
import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";
import { type AnnouncementBody, guardiansOf, linkAllBySimulator } from "./support";

const { outbox, announcements, announcementRecipients, guardians } = schema;

const fiveA = { kind: "classes", classes: ["5A"] };
const NEWSLETTER = {
  url: "https://greenfield.example/news/nov.pdf",
  contentType: "application/pdf",
};
/** The test clock starts at 01:00 in Greenfield; urgent announcements skip quiet hours. */
const now = { urgent: true };

async function announce(app: TestParentline, token: string, body: Record<string, unknown>) {
  const response = await app.json("POST", "/v1/announcements", body, token);
  expect(response.status).toBe(201);
  return (await response.json()) as AnnouncementBody & { attachment: unknown };
}

async function historyOf(app: TestParentline, address: string) {
  const response = await app.json(
    "GET",
    `/dev/chat/history?address=${encodeURIComponent(address)}`,
  );
  return ((await response.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
}

async function written(app: TestParentline) {
  const [made] = await app.db.select({ n: count() }).from(announcements);
  const [queued] = await app.db.select({ n: count() }).from(outbox);
  return { announcements: made?.n, outbox: queued?.n };
}

describe("an announcement with an attachment", () => {
  it("keeps it on the announcement, puts it on every family's message and shows it in GET", async () => {
    const app = await createTestParentline();
    const families = await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);

    const made = await announce(app, admin, {
      audience: fiveA,
      text: "November newsletter",
      attachment: NEWSLETTER,
      ...now,
    });
    expect(made.attachment).toEqual(NEWSLETTER);
    const shown = await app.json("GET", `/v1/announcements/${made.id}`, undefined, admin);
    expect(await shown.json()).toMatchObject({ attachment: NEWSLETTER });
    const listed = await app.json("GET", "/v1/announcements", undefined, admin);
    expect(await listed.json()).toMatchObject({ announcements: [{ attachment: NEWSLETTER }] });

    const rows = await app.db.select().from(outbox).where(eq(outbox.announcementId, made.id));
    expect(rows).toHaveLength(families.length);
    expect(rows.every((row) => JSON.stringify(row.media) === JSON.stringify([NEWSLETTER]))).toBe(
      true,
    );

    // The simulator has no media viewer: the link rides on the text's last line.
    await app.dispatcher.dispatchDue();
    const first = families[0];
    if (!first) throw new Error("5A has no families");
    expect((await historyOf(app, first.phone)).at(-1)).toMatch(
      /November newsletter\nhttps:\/\/greenfield\.example\/news\/nov\.pdf$/,
    );
  });

  it("is optional: without one, rows and GET say none", async () => {
    const app = await createTestParentline();
    await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    const made = await announce(app, admin, { audience: fiveA, text: "Plain", ...now });
    expect(made.attachment).toBeNull();
    const rows = await app.db.select().from(outbox).where(eq(outbox.announcementId, made.id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.media === null)).toBe(true);
  });

  it.each([
    ["an http link", { url: "http://greenfield.example/news.pdf" }],
    ["not a link", { url: "newsletter.pdf" }],
    ["a javascript: URL", { url: "javascript:alert(1)" }],
    ["a host the providers can't reach", { url: "https://localhost/news.pdf" }],
    ["a link over 2048 characters", { url: `https://greenfield.example/${"a".repeat(2030)}` }],
    ["a content type that is not one", { url: NEWSLETTER.url, contentType: "pdf please" }],
  ])("refuses %s with 422 and writes nothing", async (_, attachment) => {
    const app = await createTestParentline();
    await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    const before = await written(app);

    const response = await app.json(
      "POST",
      "/v1/announcements",
      { audience: fiveA, text: "News", attachment },
      admin,
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: { code: string; details?: unknown } };
    expect(body.error.code).toBe("validation_failed");
    expect(JSON.stringify(body.error.details)).toContain("attachment");
    expect(await written(app)).toEqual(before);

    const preview = await app.json(
      "POST",
      "/v1/announcements/preview",
      { audience: fiveA, attachment },
      admin,
    );
    expect(preview.status).toBe(422);
  });

  it("previews the same body it will post", async () => {
    const app = await createTestParentline();
    const families = await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    const response = await app.json(
      "POST",
      "/v1/announcements/preview",
      { audience: fiveA, attachment: NEWSLETTER },
      admin,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ reached: families.length });
  });

  it("goes out with a scheduled announcement when it is released", async () => {
    const app = await createTestParentline();
    await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    const at = app.clock.now() + 3_600_000;
    const made = await announce(app, admin, {
      audience: fiveA,
      text: "Photo day",
      attachment: { url: "https://greenfield.example/photo-day.jpg", contentType: "image/jpeg" },
      scheduledAt: new Date(at).toISOString(),
      ...now,
    });
    expect(made.status).toBe("scheduled");
    app.clock.set(at);
    await app.announcementJobs.runDue();
    const rows = await app.db.select().from(outbox).where(eq(outbox.announcementId, made.id));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]?.media).toEqual([
      { url: "https://greenfield.example/photo-day.jpg", contentType: "image/jpeg" },
    ]);
  });

  it("reaches a family on the daily digest as its link", async () => {
    const app = await createTestParentline();
    await linkAllBySimulator(app, ["5A"]);
    const [family] = await guardiansOf(app, ["5A"]);
    if (!family) throw new Error("5A has no families");
    await app.db
      .update(guardians)
      .set({ preferences: { announcements: "digest" } })
      .where(eq(guardians.id, family.guardianId));
    const admin = await signInStaff(app, STAFF.admin);
    const made = await announce(app, admin, {
      audience: fiveA,
      text: "November newsletter",
      attachment: NEWSLETTER,
    });
    const [held] = await app.db
      .select()
      .from(announcementRecipients)
      .where(eq(announcementRecipients.guardianId, family.guardianId));
    expect(held).toMatchObject({ announcementId: made.id, outboxId: null });
    expect(held?.heldText).toMatch(
      /November newsletter\nhttps:\/\/greenfield\.example\/news\/nov\.pdf$/,
    );
  });
});
