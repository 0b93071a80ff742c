// Ticket alerts in the staff chat and answers from it, through the simulator and the real inbound
// road: a parent's request alerts the teacher in the same commit; the teacher answers by replying
// to the alert, by "T-1001 …" or by a plain text right after it, and the parent receives it; a
// ticket the teacher may not see is refused with nothing sent.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  codeIn,
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT_5A = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A → Ms Rao
const PARENT_3A = DEMO.parentWithTwoChildren; // Emily Abbott, children in 3A and 4B
/** Monday 09:00 in Greenfield (America/Los_Angeles): school hours, outside quiet hours. */
const MONDAY_9AM = Date.parse("2026-11-23T17:00:00Z");

interface HistoryEntry {
  text: string;
  kind?: string;
  direction: string;
  id?: string;
}

async function historyOf(app: TestParentline, address: string): Promise<HistoryEntry[]> {
  const response = await app.json(
    "GET",
    `/dev/chat/history?address=${encodeURIComponent(address)}`,
  );
  return ((await response.json()) as { messages: HistoryEntry[] }).messages;
}

async function verifyStaffChat(app: TestParentline, phone: string) {
  const asked = await app.say(phone, "hi");
  await app.say(phone, codeIn(asked.texts));
}

/** Sends as the simulator phone, as a reply to the message with id `replyTo`. */
async function replyAs(app: TestParentline, phone: string, replyTo: string, text: string) {
  const response = await app.json("POST", "/dev/chat/send", { address: phone, text, replyTo });
  expect(response.status).toBe(200);
  return ((await response.json()) as { replies: { text: string }[] }).replies.map((r) => r.text);
}

async function alertsTo(app: TestParentline, phone: string) {
  await app.dispatcher.dispatchDue();
  return (await historyOf(app, phone)).filter((entry) => entry.kind === "alert");
}

async function setUp() {
  const app = await createTestParentline();
  app.clock.set(MONDAY_9AM);
  await verifyStaffChat(app, STAFF.rao);
  await verifyParent(app, PARENT_5A);
  return app;
}

describe("ticket alerts in the staff chat", () => {
  it("alerts the assignee in the commit that creates the ticket, naming child and class, never a phone", async () => {
    const app = await setUp();
    app.clock.advance(60_000);
    await makeRequest(app, PARENT_5A, { text: "Could you send Chloe's homework home?" });
    const [ticket] = await app.db.select().from(schema.tickets);
    const rows = await app.db.select().from(schema.outbox).where(eq(schema.outbox.kind, "alert"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      channel: "simulator",
      address: STAFF.rao,
      ticketId: ticket?.id,
      createdAt: ticket?.createdAt,
    });
    expect(ticket?.lastAlertAt).toBe(ticket?.createdAt);
    const [alert] = await alertsTo(app, STAFF.rao);
    expect(alert?.text).toBe(
      [
        "New request T-1001 from Michael Barnes about Chloe (5A) · Academics",
        `"Could you send Chloe's homework home?"`,
        'Reply to this message to answer the parent, or type "T-1001 your answer".',
      ].join("\n"),
    );
    expect(alert?.text).not.toContain(PARENT_5A.slice(2));
  });

  it("answers by a reply to the alert: the parent receives it, first response and audit recorded", async () => {
    const app = await setUp();
    app.clock.advance(60_000);
    await makeRequest(app, PARENT_5A, { text: "Homework question" });
    const [alert] = await alertsTo(app, STAFF.rao);
    app.clock.advance(60_000);
    const said = await replyAs(app, STAFF.rao, alert?.id ?? "", "I'll send it home today.");
    expect(said).toEqual(["Sent to Michael Barnes on T-1001."]);
    await app.dispatcher.dispatchDue();
    const parentSaw = (await historyOf(app, PARENT_5A)).filter((m) => m.kind === "staff_reply");
    expect(parentSaw.map((m) => m.text)).toEqual(["T-1001 · Ms Rao: I'll send it home today."]);
    expect(parentSaw[0]?.text).not.toContain(STAFF.rao.slice(2));
    const [ticket] = await app.db.select().from(schema.tickets);
    expect(ticket).toMatchObject({
      status: "waiting_for_parent",
      firstResponseAt: app.clock.now(),
    });
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "ticket.reply"));
    expect(audit).toHaveLength(1);
  });

  it('answers "T-1001 …" and a plain text right after an alert, then asks for a reference', async () => {
    const app = await setUp();
    app.clock.advance(60_000);
    await makeRequest(app, PARENT_5A, { text: "Homework question" });
    await alertsTo(app, STAFF.rao);
    app.clock.advance(60_000);
    expect((await app.say(STAFF.rao, "T-1001 Yes, tomorrow.")).texts).toEqual([
      "Sent to Michael Barnes on T-1001.",
    ]);
    // The parent writes again: after the alert, a plain text answers the ticket alerted last.
    app.clock.advance(11 * 60_000);
    await app.say(PARENT_5A, "Thanks! And the reading log?");
    await app.say(PARENT_5A, "1");
    const alerts = await alertsTo(app, STAFF.rao);
    expect(alerts.at(-1)?.text).toMatch(/^T-1001 · Michael Barnes about Chloe \(5A\) wrote again:/);
    app.clock.advance(60_000);
    expect((await app.say(STAFF.rao, "The log is in her bag.")).texts).toEqual([
      'Sent to Michael Barnes on T-1001, the ticket you were alerted about last. For another ticket, start with its reference, like "T-1234 your answer".',
    ]);
    // Not right after an alert any more: the menu, and nothing sent.
    app.clock.advance(60_000);
    const menu = await app.say(STAFF.rao, "One more thing");
    expect(menu.texts).toEqual(["What would you like to do?"]);
    await app.dispatcher.dispatchDue();
    const parentSaw = (await historyOf(app, PARENT_5A)).filter((m) => m.kind === "staff_reply");
    expect(parentSaw.map((m) => m.text)).toEqual([
      "T-1001 · Ms Rao: Yes, tomorrow.",
      "T-1001 · Ms Rao: The log is in her bag.",
    ]);
  });

  it("refuses a ticket the teacher may not see, and sends nothing", async () => {
    const app = await setUp();
    await verifyParent(app, PARENT_3A);
    app.clock.advance(60_000);
    await app.say(PARENT_3A, "menu");
    await app.say(PARENT_3A, "New request");
    await app.say(PARENT_3A, "1"); // the child in 3A
    await app.say(PARENT_3A, "Academics");
    await app.say(PARENT_3A, "Question about reading");
    await app.say(PARENT_3A, "Send");
    const [ticket] = await app.db.select().from(schema.tickets);
    expect(ticket?.number).toBe(1001);
    const before = (await app.db.select().from(schema.outbox)).length;
    const said = await app.say(STAFF.rao, "T-1001 I can help");
    expect(said.texts).toEqual([
      "You can't answer T-1001: it isn't a ticket you can see. Nothing was sent.",
    ]);
    expect((await app.db.select().from(schema.outbox)).length).toBe(before + 1); // the refusal
    expect(await app.db.select().from(schema.ticketMessages)).toHaveLength(1);
    const [after] = await app.db.select().from(schema.tickets);
    expect(after).toMatchObject({ status: "open", firstResponseAt: null });
  });

  it("notes, resolves and takes from the chat, through the same services as the API", async () => {
    const app = await setUp();
    app.clock.advance(60_000);
    await makeRequest(app, PARENT_5A, { text: "Homework question" });
    app.clock.advance(60_000);
    expect((await app.say(STAFF.rao, "/note T-1001 Will ask the maths lead")).texts).toEqual([
      "Note added to T-1001. Only staff see it.",
    ]);
    const notes = await app.db
      .select()
      .from(schema.ticketMessages)
      .where(eq(schema.ticketMessages.internal, true));
    expect(notes.map((note) => note.body)).toEqual(["Will ask the maths lead"]);
    expect((await app.say(STAFF.rao, "/take T-1001")).texts).toEqual(["T-1001 is yours now."]);

    expect((await app.say(STAFF.rao, "/resolve T-1001")).texts).toEqual([
      "T-1001 is resolved. The parent is asked to rate it, or to reopen it.",
    ]);
    await app.dispatcher.dispatchDue();
    const parentSaw = (await historyOf(app, PARENT_5A)).map((m) => m.text);
    expect(parentSaw.at(-1)).toMatch(/^Ms Rao has marked T-1001 as resolved\. How did we do\?/);
    expect(parentSaw.join("\n")).not.toContain("maths lead");
    expect((await app.say(STAFF.rao, "/resolve T-1001")).texts).toEqual([
      "T-1001: it is resolved already.",
    ]);
    const actions = await app.db.select({ action: schema.auditLog.action }).from(schema.auditLog);
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(["ticket.note", "ticket.status"]),
    );
  });
});
