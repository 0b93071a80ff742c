// POST /v1/announcements with an Idempotency-Key: a client that retries (a timeout, a double click)
// gets the announcement its first request made, and families get one message, not two.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";
import { linkAllBySimulator } from "./support";

const { announcements, outbox } = schema;
const NOON = Date.parse("2026-11-23T20:00:00Z"); // 12:00 in Greenfield

async function post(app: TestParentline, token: string, body: unknown, key?: string) {
  const response = await app.app.request("/v1/announcements", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${token}`,
      ...(key === undefined ? {} : { "idempotency-key": key }),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    replayed: response.headers.get("idempotent-replayed"),
    body: (await response.json()) as { id: number; error?: { code: string; message: string } },
  };
}

const picnic = { audience: { kind: "classes", classes: ["5A"] }, text: "Picnic on Friday" };
const announcementMessages = async (app: TestParentline) =>
  app.db.select().from(outbox).where(eq(outbox.kind, "announcement"));

describe("an Idempotency-Key on POST /v1/announcements", () => {
  it("makes a retried request return the first announcement and send nothing twice", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const families = await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);

    const first = await post(app, admin, picnic, "7f3c2a10-retry-me");
    expect([first.status, first.replayed]).toEqual([201, null]);
    const again = await post(app, admin, picnic, "7f3c2a10-retry-me");
    expect([again.status, again.replayed, again.body.id]).toEqual([201, "true", first.body.id]);
    expect(await app.db.select().from(announcements)).toHaveLength(1);
    expect(await announcementMessages(app)).toHaveLength(families.length);

    // The same key for another announcement is a client's mistake: refused, nothing written.
    const other = await post(app, admin, { ...picnic, text: "Picnic moved" }, "7f3c2a10-retry-me");
    expect([other.status, other.body.error?.code]).toEqual([422, "idempotency_key_reused"]);
    const urgent = await post(app, admin, { ...picnic, urgent: true }, "7f3c2a10-retry-me");
    expect(urgent.status).toBe(422);

    // Without a key, or with a new one, each request is a new announcement.
    expect((await post(app, admin, picnic)).status).toBe(201);
    expect((await post(app, admin, picnic, "a-second-key")).status).toBe(201);
    expect(await app.db.select().from(announcements)).toHaveLength(3);
    expect(await announcementMessages(app)).toHaveLength(3 * families.length);
  });

  it("keeps each member's keys their own and refuses a malformed key", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    await linkAllBySimulator(app, ["5A"]);
    const admin = await signInStaff(app, STAFF.admin);
    const rao = await signInStaff(app, STAFF.rao);

    const byAdmin = await post(app, admin, picnic, "same-key");
    const byRao = await post(app, rao, picnic, "same-key");
    expect([byAdmin.status, byRao.status, byRao.replayed]).toEqual([201, 201, null]);
    expect(byRao.body.id).not.toBe(byAdmin.body.id);

    for (const bad of ["", "has space", "x".repeat(101), "café"]) {
      const refused = await post(app, admin, picnic, bad);
      expect([refused.status, refused.body.error?.code]).toEqual([422, "validation_failed"]);
    }
    expect(await app.db.select().from(announcements)).toHaveLength(2);
  });

  it("replays a scheduled announcement's creation even after its time has passed", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const admin = await signInStaff(app, STAFF.admin);
    const later = { ...picnic, scheduledAt: new Date(NOON + 60_000).toISOString() };
    const first = await post(app, admin, later, "scheduled-once");
    app.clock.set(NOON + 120_000);
    const again = await post(app, admin, later, "scheduled-once");
    expect([again.status, again.replayed, again.body.id]).toEqual([201, "true", first.body.id]);
  });
});
