import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild;

async function guardianId(app: TestParentline) {
  const [row] = await app.db
    .select()
    .from(schema.guardians)
    .where(eq(schema.guardians.phone, PARENT));
  return row?.id ?? 0;
}

async function flagged(app: TestParentline, token: string) {
  const response = await app.json("GET", "/v1/guardians?flagged=true", undefined, token);
  return ((await response.json()) as { guardians: { id: number; flagReason: string | null }[] })
    .guardians;
}

describe("guardian flags", () => {
  it("list guardians the flooding guardrail flagged", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    // Two pauses within a day: one pause alone is a busy parent, not abuse.
    for (let n = 0; n < 59; n += 1) await app.say(PARENT, "menu");
    app.clock.advance(60 * 60_000);
    for (let n = 0; n < 61; n += 1) await app.say(PARENT, "menu");
    const token = await signInStaff(app, STAFF.admin);
    expect(await flagged(app, token)).toEqual([
      expect.objectContaining({
        id: await guardianId(app),
        flagReason: "flooding: paused twice within a day",
      }),
    ]);
    const all = (await (await app.json("GET", "/v1/guardians", undefined, token)).json()) as {
      guardians: unknown[];
    };
    expect(all.guardians.length).toBeGreaterThan(30);
  });

  it("are set and cleared by office staff, audited, and route the guardian's tickets to the admin", async () => {
    const app = await createTestParentline();
    const token = await signInStaff(app, STAFF.frontOffice);
    const id = await guardianId(app);
    const set = await app.json(
      "POST",
      `/v1/guardians/${id}/flag`,
      { reason: "Abusive messages to staff" },
      token,
    );
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({
      id,
      flagged: true,
      flagReason: "Abusive messages to staff",
    });
    expect(await flagged(app, token)).toHaveLength(1);

    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Academics");
    await app.say(PARENT, "A question");
    await app.say(PARENT, "Send");
    const [ticket] = await app.db.select().from(schema.tickets);
    expect(ticket?.routingReason).toBe("guardian is flagged: admin handles their tickets");

    const cleared = await app.json("DELETE", `/v1/guardians/${id}/flag`, undefined, token);
    expect(await cleared.json()).toMatchObject({ flagged: false, flagReason: null });
    expect(await flagged(app, token)).toEqual([]);
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.entity, "guardian"));
    expect(audit.map((entry) => [entry.action, entry.before, entry.after])).toEqual([
      ["guardian.flag", { flagReason: null }, { flagReason: "Abusive messages to staff" }],
      ["guardian.unflag", { flagReason: "Abusive messages to staff" }, { flagReason: null }],
    ]);
  });

  it("may not be set by a teacher (403), nor for another school's guardian (404)", async () => {
    const app = await createTestParentline();
    const id = await guardianId(app);
    const teacher = await signInStaff(app, STAFF.rao);
    expect(
      (await app.json("POST", `/v1/guardians/${id}/flag`, { reason: "Because" }, teacher)).status,
    ).toBe(403);
    const riverside = await signInStaff(app, "+12125550190");
    expect(
      (await app.json("POST", `/v1/guardians/${id}/flag`, { reason: "Because" }, riverside)).status,
    ).toBe(404);
    expect(
      (await app.json("POST", `/v1/guardians/${id}/flag`, { reason: "" }, riverside)).status,
    ).toBe(422);
    expect(await flagged(app, riverside)).toEqual([]);
  });
});
