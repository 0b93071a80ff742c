import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { DEFAULT_LIMITS } from "../../src/domain";
import { createTestParentline, DEMO, signInStaff, verifyParent } from "../support/parentline";

describe("the school's guardrail limits", () => {
  it("are read by staff and changed by the admin, and the bot applies them at once", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, "+14155550190");
    expect(await (await app.json("GET", "/v1/school/guardrails", undefined, admin)).json()).toEqual(
      DEFAULT_LIMITS,
    );
    const stricter = { ...DEFAULT_LIMITS, maxOpenTickets: 1, cooldownMinutes: 0 };
    const put = await app.json("PUT", "/v1/school/guardrails", stricter, admin);
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual(stricter);

    const parent = DEMO.parentWithOneChild;
    await verifyParent(app, parent);
    for (const text of ["First", "Second"]) {
      await app.say(parent, "menu");
      await app.say(parent, "New request");
      await app.say(parent, "Fees");
      await app.say(parent, text);
      await app.say(parent, "Send");
    }
    expect(await app.db.select().from(schema.tickets)).toHaveLength(1);
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "school.guardrails"));
    expect(audit[0]?.after).toEqual(stricter);

    // The other school is untouched.
    const riverside = await signInStaff(app, "+12125550190");
    expect(
      await (await app.json("GET", "/v1/school/guardrails", undefined, riverside)).json(),
    ).toEqual(DEFAULT_LIMITS);
  });

  it("refuse a teacher (403) and impossible values (422)", async () => {
    const app = await createTestParentline();
    const teacher = await signInStaff(app, "+14155550184");
    expect((await app.json("PUT", "/v1/school/guardrails", DEFAULT_LIMITS, teacher)).status).toBe(
      403,
    );
    const admin = await signInStaff(app, "+14155550190");
    const bad = await app.json(
      "PUT",
      "/v1/school/guardrails",
      { ...DEFAULT_LIMITS, maxOpenTickets: 0 },
      admin,
    );
    expect(bad.status).toBe(422);
    expect(
      ((await bad.json()) as { error: { details: { path: string }[] } }).error.details[0]?.path,
    ).toBe("maxOpenTickets");
  });
});
