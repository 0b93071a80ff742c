// A ticket that changes hands alerts its new holder in their staff chat, in the commit of the
// change: an assignment over the API, a re-route by a new topic, and a /take from the chat (where
// the new holder moved it and hears nothing). Quiet hours hold the alert for the morning summary.
import { and, eq } from "drizzle-orm";
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
import { alertsIn, chatHistoryOf, replyInChat, verifyStaffChat } from "../support/staff-chat";

const PARENT_5A = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A → Ms Rao
/** Monday 09:00 in Greenfield (America/Los_Angeles): school hours, outside quiet hours. */
const MONDAY_9AM = Date.parse("2026-11-23T17:00:00Z");
const HOUR = 3_600_000;

async function staffIdOf(app: TestParentline, phone: string): Promise<number> {
  const [member] = await app.db.select().from(schema.staff).where(eq(schema.staff.phone, phone));
  if (!member) throw new Error(`no staff ${phone}`);
  return member.id;
}

async function patchTicket(app: TestParentline, token: string, body: Record<string, unknown>) {
  const [ticket] = await app.db.select().from(schema.tickets);
  const response = await app.json("PATCH", `/v1/tickets/${ticket?.id}`, body, token);
  expect(response.status).toBe(200);
}

async function alertRowsTo(app: TestParentline, phone: string) {
  return app.db
    .select()
    .from(schema.outbox)
    .where(and(eq(schema.outbox.kind, "alert"), eq(schema.outbox.address, phone)));
}

async function withRequest(category: string) {
  const app = await createTestParentline();
  app.clock.set(MONDAY_9AM);
  for (const phone of [STAFF.rao, STAFF.accounts, STAFF.admin]) await verifyStaffChat(app, phone);
  await verifyParent(app, PARENT_5A);
  app.clock.advance(60_000);
  await makeRequest(app, PARENT_5A, { category, text: "Is the trip fee due this week?" });
  const admin = await signInStaff(app, STAFF.admin);
  await app.dispatcher.dispatchDue();
  return { app, admin };
}

describe("alerts when a ticket changes hands", () => {
  it("alerts the teacher an admin assigns a ticket to, in the assignment's commit, and her reply to it reaches the parent", async () => {
    const { app, admin } = await withRequest("Fees");
    const before = (await alertsIn(app, STAFF.rao)).length;
    app.clock.advance(60_000);
    await patchTicket(app, admin, { assigneeStaffId: await staffIdOf(app, STAFF.rao) });
    const [ticket] = await app.db.select().from(schema.tickets);
    expect(await alertRowsTo(app, STAFF.rao)).toEqual([
      expect.objectContaining({ ticketId: ticket?.id, createdAt: ticket?.updatedAt }),
    ]);
    const alerts = (await alertsIn(app, STAFF.rao)).slice(before);
    expect(alerts.map((alert) => alert.text)).toEqual([
      [
        "Ms Ellison passed T-1001 (Michael Barnes about Chloe (5A) · Fees) to you.",
        `The parent's latest message: "Is the trip fee due this week?"`,
        'Reply to this message to answer the parent, or type "T-1001 your answer".',
      ].join("\n"),
    ]);
    // The admin made the change: her own chat is not told of it.
    expect(await alertRowsTo(app, STAFF.admin)).toEqual([]);

    app.clock.advance(60_000);
    const said = await replyInChat(app, STAFF.rao, alerts[0]?.id ?? "", "Yes, by Friday.");
    expect(said).toEqual(["Sent to Michael Barnes on T-1001."]);
    await app.dispatcher.dispatchDue();
    const parentSaw = (await chatHistoryOf(app, PARENT_5A)).filter((m) => m.kind === "staff_reply");
    expect(parentSaw.map((m) => m.text)).toEqual(["T-1001 · Ms Rao: Yes, by Friday."]);
  });

  it("alerts the accounts office when a new topic re-routes a teacher's ticket to it, and not the teacher", async () => {
    const { app, admin } = await withRequest("Academics");
    const raoBefore = (await alertsIn(app, STAFF.rao)).length;
    expect(await alertsIn(app, STAFF.accounts)).toEqual([]);
    app.clock.advance(60_000);
    await patchTicket(app, admin, { category: "fees" });
    const [ticket] = await app.db.select().from(schema.tickets);
    expect(ticket?.assigneeStaffId).toBe(await staffIdOf(app, STAFF.accounts));
    const alerts = await alertsIn(app, STAFF.accounts);
    expect(alerts.map((alert) => alert.text.split("\n")[0])).toEqual([
      "Ms Ellison passed T-1001 (Michael Barnes about Chloe (5A) · Fees) to you.",
    ]);
    expect(await alertsIn(app, STAFF.rao)).toHaveLength(raoBefore);
  });

  it("alerts the rest of the office a ticket moves to, naming its new holder, but not an office member who saw it before", async () => {
    const app = await createTestParentline();
    const accountsBackup = "+14155550177";
    await app.db.insert(schema.staff).values({
      schoolId: 1,
      title: "Mr",
      firstName: "Omar",
      lastName: "Haddad",
      phone: accountsBackup,
      role: "office",
      officeFunction: "accounts",
    });
    app.clock.set(MONDAY_9AM);
    for (const phone of [STAFF.rao, STAFF.accounts, accountsBackup, STAFF.admin])
      await verifyStaffChat(app, phone);
    await verifyParent(app, PARENT_5A);
    app.clock.advance(60_000);
    await makeRequest(app, PARENT_5A, { category: "Academics", text: "Trip fee?" });
    const admin = await signInStaff(app, STAFF.admin);
    app.clock.advance(60_000);
    await patchTicket(app, admin, { category: "fees" });
    const firstLines = async (phone: string) =>
      (await alertsIn(app, phone)).map((alert) => alert.text.split("\n")[0]);
    expect(await firstLines(STAFF.accounts)).toEqual([
      "Ms Ellison passed T-1001 (Michael Barnes about Chloe (5A) · Fees) to you.",
    ]);
    expect(await firstLines(accountsBackup)).toEqual([
      "Ms Ellison passed T-1001 (Michael Barnes about Chloe (5A) · Fees) to Ms Holloway.",
    ]);
    // Within the office it changes hands again: only the new holder hears, the office saw it.
    app.clock.advance(60_000);
    await patchTicket(app, admin, { assigneeStaffId: await staffIdOf(app, accountsBackup) });
    expect(await firstLines(accountsBackup)).toHaveLength(2);
    expect((await firstLines(accountsBackup)).at(-1)).toBe(
      "Ms Ellison passed T-1001 (Michael Barnes about Chloe (5A) · Fees) to you.",
    );
    expect(await firstLines(STAFF.accounts)).toHaveLength(1);
  });

  it("tells nobody when a member takes a ticket from the chat, and alerts the teacher it is handed back to", async () => {
    const { app, admin } = await withRequest("Academics");
    const raoBefore = (await alertsIn(app, STAFF.rao)).length;
    app.clock.advance(60_000);
    expect((await app.say(STAFF.admin, "/take T-1001")).texts).toEqual(["T-1001 is yours now."]);
    const [taken] = await app.db.select().from(schema.tickets);
    expect(taken?.assigneeStaffId).toBe(await staffIdOf(app, STAFF.admin));
    expect(await alertRowsTo(app, STAFF.admin)).toEqual([]);
    expect(await alertsIn(app, STAFF.rao)).toHaveLength(raoBefore);

    app.clock.advance(60_000);
    await patchTicket(app, admin, { assigneeStaffId: await staffIdOf(app, STAFF.rao) });
    const back = (await alertsIn(app, STAFF.rao)).slice(raoBefore);
    expect(back.map((alert) => alert.text.split("\n")[0])).toEqual([
      "Ms Ellison passed T-1001 (Michael Barnes about Chloe (5A) · Academics) to you.",
    ]);
  });

  it("does not alert a teacher who takes a ticket herself from the chat", async () => {
    const { app, admin } = await withRequest("Fees");
    await patchTicket(app, admin, { assigneeStaffId: await staffIdOf(app, STAFF.admin) });
    const raoBefore = (await alertRowsTo(app, STAFF.rao)).length;
    app.clock.advance(60_000);
    expect((await app.say(STAFF.rao, "/take T-1001")).texts).toEqual(["T-1001 is yours now."]);
    expect(await alertRowsTo(app, STAFF.rao)).toHaveLength(raoBefore);
  });

  it("holds an assignment made in quiet hours for the teacher's morning summary", async () => {
    const { app } = await withRequest("Fees");
    const raoBefore = (await alertRowsTo(app, STAFF.rao)).length;
    app.clock.set(MONDAY_9AM + 13 * HOUR); // Monday 22:00, inside the school's quiet hours
    const admin = await signInStaff(app, STAFF.admin);
    await patchTicket(app, admin, { assigneeStaffId: await staffIdOf(app, STAFF.rao) });
    expect(await alertRowsTo(app, STAFF.rao)).toHaveLength(raoBefore);
    app.clock.set(MONDAY_9AM + 22 * HOUR + 30 * 60_000); // Tuesday 07:30
    await app.staffAlertJobs.runDue();
    const summary = (await alertsIn(app, STAFF.rao)).at(-1)?.text ?? "";
    expect(summary).toMatch(/^Good morning, Ms Rao\. Your open tickets \(1\)/);
    expect(summary).toContain("T-1001 Michael Barnes about Chloe (5A) · Fees");
  });
});
