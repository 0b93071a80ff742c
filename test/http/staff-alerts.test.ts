// GET/PUT /v1/staff/me/alerts: a member without a linked chat is told how to link one; alerts can be
// turned off or held by quiet hours of their own; a bad change is refused and changes nothing.
import { describe, expect, it } from "vitest";
import { HOW_TO_LINK } from "../../src/routes/v1/staff-alerts";
import {
  codeIn,
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

/** Monday 09:00 in Greenfield (America/Los_Angeles). */
const MONDAY_9AM = Date.parse("2026-11-23T17:00:00Z");

async function alertRows(app: TestParentline) {
  return app.db.$client.prepare("select * from outbox where kind = 'alert'").all();
}

describe("/v1/staff/me/alerts", () => {
  it("tells a member with no linked chat how to link one, then shows the linked channel", async () => {
    const app = await createTestParentline();
    app.clock.set(MONDAY_9AM);
    const token = await signInStaff(app, STAFF.rao);
    const before = await app.json("GET", "/v1/staff/me/alerts", undefined, token);
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({
      chat: { linked: false, channel: null, howToLink: HOW_TO_LINK },
      mode: "instant",
      quietHours: "school",
      schoolQuietHours: { start: "21:00", end: "07:00" },
    });
    await app.say(STAFF.rao, codeIn((await app.say(STAFF.rao, "/staff")).texts));
    const after = await app.json("GET", "/v1/staff/me/alerts", undefined, token);
    expect(((await after.json()) as { chat: unknown }).chat).toEqual({
      linked: true,
      channel: "simulator",
      howToLink: null,
    });
  });

  it("turns alerts off (no alert row for a new ticket), and own quiet hours hold them", async () => {
    const app = await createTestParentline();
    app.clock.set(MONDAY_9AM);
    await app.say(STAFF.rao, codeIn((await app.say(STAFF.rao, "hi")).texts));
    await verifyParent(app, DEMO.parentWithOneChild);
    const token = await signInStaff(app, STAFF.rao);

    const off = await app.json("PUT", "/v1/staff/me/alerts", { mode: "off" }, token);
    expect(off.status).toBe(200);
    expect(await off.json()).toMatchObject({ mode: "off", quietHours: "school" });
    await makeRequest(app, DEMO.parentWithOneChild, { text: "First" });
    expect(await alertRows(app)).toHaveLength(0);

    // Her own quiet hours cover 09:00: held (for the morning summary), not sent.
    const quiet = await app.json(
      "PUT",
      "/v1/staff/me/alerts",
      { mode: "instant", quietHours: { start: "08:00", end: "10:00" } },
      token,
    );
    expect(await quiet.json()).toMatchObject({
      mode: "instant",
      quietHours: { start: "08:00", end: "10:00" },
    });
    app.clock.advance(11 * 60_000);
    await makeRequest(app, DEMO.parentWithOneChild, { text: "Second", category: "Attendance" });
    expect(await alertRows(app)).toHaveLength(0);

    await app.json("PUT", "/v1/staff/me/alerts", { quietHours: null }, token);
    app.clock.advance(11 * 60_000);
    await makeRequest(app, DEMO.parentWithOneChild, { text: "Third", category: "Academics" });
    expect(await alertRows(app)).toHaveLength(1);
  });

  it("refuses an unknown mode or a malformed time with 422, changing nothing", async () => {
    const app = await createTestParentline();
    const token = await signInStaff(app, STAFF.rao);
    for (const body of [
      { mode: "loud" },
      { quietHours: { start: "25:00", end: "07:00" } },
      { x: 1 },
    ]) {
      const response = await app.json("PUT", "/v1/staff/me/alerts", body, token);
      expect(response.status).toBe(422);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "validation_failed",
      );
    }
    const unchanged = await app.json("GET", "/v1/staff/me/alerts", undefined, token);
    expect(await unchanged.json()).toMatchObject({ mode: "instant", quietHours: "school" });
    expect(
      app.db.$client
        .prepare("select count(*) as n from audit_log where action like 'staff.%'")
        .get(),
    ).toEqual({ n: 0 });
  });
});
