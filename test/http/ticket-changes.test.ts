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

async function openTicket(app: TestParentline) {
  await verifyParent(app, PARENT);
  await app.say(PARENT, "New request");
  await app.say(PARENT, "Academics");
  await app.say(PARENT, "Is the school trip paid for?");
  await app.say(PARENT, "Send");
  const [ticket] = await app.db.select().from(schema.tickets);
  if (!ticket) throw new Error("no ticket");
  return ticket;
}

async function staffId(app: TestParentline, phone: string) {
  const [row] = await app.db.select().from(schema.staff).where(eq(schema.staff.phone, phone));
  return row?.id ?? 0;
}

describe("changing a ticket", () => {
  it("re-routes it when the category changes, and audits each field", async () => {
    const app = await createTestParentline();
    const ticket = await openTicket(app);
    const token = await signInStaff(app, STAFF.rao);
    const changed = await app.json(
      "PATCH",
      `/v1/tickets/${ticket.id}`,
      { category: "fees", priority: "urgent" },
      token,
    );
    // Still visible to her (the child is in her class), though the accounts office has it now.
    expect(changed.status).toBe(200);
    const [after] = await app.db
      .select()
      .from(schema.tickets)
      .where(eq(schema.tickets.id, ticket.id));
    const accounts = await staffId(app, "+14155550187");
    expect(after).toMatchObject({
      category: "fees",
      priority: "urgent",
      assigneeStaffId: accounts,
      routingReason: "fees: accounts office",
    });
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.entity, "ticket"));
    expect(audit.map((entry) => entry.action).sort()).toEqual(
      [
        "ticket.assigneeStaffId",
        "ticket.category",
        "ticket.priority",
        "ticket.routingReason",
      ].sort(),
    );
  });

  it("assigns it to another staff member of the school, and refuses one of another school", async () => {
    const app = await createTestParentline();
    const ticket = await openTicket(app);
    const token = await signInStaff(app, STAFF.admin);
    const front = await staffId(app, "+14155550189");
    const moved = await app.json(
      "PATCH",
      `/v1/tickets/${ticket.id}`,
      { assigneeStaffId: front },
      token,
    );
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({
      assigneeStaffId: front,
      routingReason: "assigned by staff",
    });
    const riversideStaff = await staffId(app, "+12125550184");
    const refused = await app.json(
      "PATCH",
      `/v1/tickets/${ticket.id}`,
      { assigneeStaffId: riversideStaff },
      token,
    );
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: { details: unknown } }).error.details).toEqual([
      { path: "assigneeStaffId", message: "is not an active staff member of this school" },
    ]);
  });

  it("resolves and re-prioritises in one write", async () => {
    const app = await createTestParentline();
    const ticket = await openTicket(app);
    const token = await signInStaff(app, STAFF.admin);
    const done = await app.json(
      "PATCH",
      `/v1/tickets/${ticket.id}`,
      { status: "resolved", priority: "urgent" },
      token,
    );
    expect(await done.json()).toMatchObject({ status: "resolved", priority: "urgent" });
  });

  it("refuses an empty change with 422", async () => {
    const app = await createTestParentline();
    const ticket = await openTicket(app);
    const token = await signInStaff(app, STAFF.admin);
    expect((await app.json("PATCH", `/v1/tickets/${ticket.id}`, {}, token)).status).toBe(422);
  });
});
