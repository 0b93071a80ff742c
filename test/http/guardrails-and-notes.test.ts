import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Greenfield
const minutes = (n: number) => n * 60_000;

async function guardianId(app: TestParentline) {
  const [row] = await app.db
    .select()
    .from(schema.guardians)
    .where(eq(schema.guardians.phone, PARENT));
  return row?.id ?? 0;
}

describe("guardrail endpoints", () => {
  it("report each rule's count, limit and when it frees up", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await makeRequest(app, PARENT, { text: "First question" });
    const token = await signInStaff(app, STAFF.admin);
    const response = await app.json(
      "GET",
      `/v1/guardians/${await guardianId(app)}/guardrails`,
      undefined,
      token,
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { flagged: boolean; rules: unknown[] };
    expect(body.flagged).toBe(false);
    expect(body.rules).toEqual([
      { rule: "open_tickets", count: 1, limit: 3, freesAt: null },
      {
        rule: "cooldown",
        count: 1,
        limit: 10,
        freesAt: new Date(app.clock.now() + minutes(10)).toISOString(),
      },
      { rule: "weekly", count: 1, limit: 5, freesAt: null },
      { rule: "messages", count: 7, limit: 60, freesAt: null },
    ]);
  });

  it("answer the check exactly as the bot would", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    let token = await signInStaff(app, STAFF.rao);
    const check = async () =>
      (await (
        await app.json("POST", "/v1/guardrails/check", { guardianId: await guardianId(app) }, token)
      ).json()) as Record<string, unknown>;
    expect(await check()).toEqual({ allowed: true });
    for (const n of [1, 2, 3]) {
      await makeRequest(app, PARENT, { text: `Question ${n}` });
      app.clock.advance(minutes(11));
    }
    token = await signInStaff(app, STAFF.rao); // 33 minutes later: a fresh access token
    expect(await check()).toEqual({
      allowed: false,
      rule: "open_tickets",
      limit: 3,
      openReferences: ["T-1001", "T-1002", "T-1003"],
    });
    // The bot refuses the same way.
    await makeRequest(app, PARENT, { text: "Question 4" });
    expect(await app.db.select().from(schema.tickets)).toHaveLength(3);
  });

  it("hide another school's guardian behind a 404 and need a token", async () => {
    const app = await createTestParentline();
    const id = await guardianId(app);
    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    expect(
      (await app.json("GET", `/v1/guardians/${id}/guardrails`, undefined, riverside)).status,
    ).toBe(404);
    expect(
      (await app.json("POST", "/v1/guardrails/check", { guardianId: id }, riverside)).status,
    ).toBe(404);
    expect((await app.json("GET", `/v1/guardians/${id}/guardrails`)).status).toBe(401);
    expect(
      (await app.json("POST", "/v1/guardrails/check", { guardianId: "x" }, riverside)).status,
    ).toBe(422);
  });
});

describe("internal notes", () => {
  it("join the thread marked internal, are never sent to the parent, and are audited", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await makeRequest(app, PARENT, { text: "Homework?" });
    const [ticket] = await app.db.select().from(schema.tickets);
    const token = await signInStaff(app, STAFF.rao);
    const outboxBefore = (await app.db.select().from(schema.outbox)).length;
    const note = await app.json(
      "POST",
      `/v1/tickets/${ticket?.id}/notes`,
      { body: "Spoke to the maths teacher" },
      token,
    );
    expect(note.status).toBe(201);
    expect(await note.json()).toMatchObject({ ticketId: ticket?.id, internal: true });
    expect(await app.db.select().from(schema.outbox)).toHaveLength(outboxBefore);
    const detail = (await (
      await app.json("GET", `/v1/tickets/${ticket?.id}`, undefined, token)
    ).json()) as {
      messages: { body: string; internal: boolean; authorType: string }[];
      guardrails: { openTickets: number; maxOpenTickets: number };
    };
    expect(detail.messages.map((m) => [m.authorType, m.internal, m.body])).toEqual([
      ["parent", false, "Homework?"],
      ["staff", true, "Spoke to the maths teacher"],
    ]);
    expect(detail.guardrails).toEqual({ openTickets: 1, maxOpenTickets: 3 });
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "ticket.note"));
    expect(audit).toHaveLength(1);
  });

  it("refuse empty notes, unknown tickets and other schools' tickets", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await makeRequest(app, PARENT, { text: "Homework?" });
    const [ticket] = await app.db.select().from(schema.tickets);
    const teacher = await signInStaff(app, STAFF.rao);
    expect(
      (await app.json("POST", `/v1/tickets/${ticket?.id}/notes`, { body: "  " }, teacher)).status,
    ).toBe(422);
    expect((await app.json("POST", "/v1/tickets/9999/notes", { body: "x" }, teacher)).status).toBe(
      404,
    );
    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    expect(
      (await app.json("POST", `/v1/tickets/${ticket?.id}/notes`, { body: "x" }, riverside)).status,
    ).toBe(404);
  });
});
