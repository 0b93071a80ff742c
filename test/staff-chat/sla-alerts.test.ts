// Nothing left waiting: the staff alert jobs over the simulator. A ticket's assignee is reminded
// once before its first answer is due, office and admin hear of the breach once, follow-ups held by
// the 10-minute pace are counted in one alert, quiet hours hold alerts for the morning summary.
import { describe, expect, it } from "vitest";
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

const PARENT_5A = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A → Ms Rao
/** Monday 09:00 in Greenfield (America/Los_Angeles). */
const MONDAY_9AM = Date.parse("2026-11-23T17:00:00Z");
const HOUR = 3_600_000;

async function alertsTo(app: TestParentline, phone: string): Promise<string[]> {
  await app.dispatcher.dispatchDue();
  const response = await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(phone)}`);
  const { messages } = (await response.json()) as { messages: { text: string; kind?: string }[] };
  return messages.filter((m) => m.kind === "alert").map((m) => m.text);
}

async function verifyStaffChat(app: TestParentline, phone: string) {
  const asked = await app.say(phone, "hi");
  await app.say(phone, codeIn(asked.texts));
}

async function withTicket() {
  const app = await createTestParentline();
  app.clock.set(MONDAY_9AM);
  for (const phone of [STAFF.rao, STAFF.admin, STAFF.frontOffice, STAFF.accounts])
    await verifyStaffChat(app, phone);
  await verifyParent(app, PARENT_5A);
  app.clock.advance(60_000);
  await makeRequest(app, PARENT_5A, { text: "Homework question" });
  return app;
}

describe("SLA reminders and breaches in the staff chat", () => {
  it("reminds the assignee once an hour before the first answer is due (Tuesday 09:01)", async () => {
    const app = await withTicket();
    const before = (await alertsTo(app, STAFF.rao)).length;
    app.clock.set(MONDAY_9AM + 23 * HOUR); // Tuesday 08:00
    expect((await app.staffAlertJobs.runDue()).reminded).toBe(0);
    app.clock.advance(2 * 60_000); // due at 09:01: within the hour now
    expect((await app.staffAlertJobs.runDue()).reminded).toBe(1);
    expect((await app.staffAlertJobs.runDue()).reminded).toBe(0);
    const alerts = await alertsTo(app, STAFF.rao);
    expect(alerts.slice(before).filter((text) => text.startsWith("Reminder"))).toEqual([
      [
        "Reminder: T-1001 (Michael Barnes about Chloe (5A) · Academics) still needs its first answer, due by Tue 9:01 AM.",
        'Reply to this message to answer the parent, or type "T-1001 your answer".',
      ].join("\n"),
    ]);
    expect(await alertsTo(app, STAFF.admin)).toEqual([]);
  });

  it("tells the front office and the admin once at the breach, with who holds it", async () => {
    const app = await withTicket();
    app.clock.set(MONDAY_9AM + 24 * HOUR + 2 * 60_000); // Tuesday 09:02
    expect((await app.staffAlertJobs.runDue()).breaches).toBe(1);
    expect((await app.staffAlertJobs.runDue()).breaches).toBe(0);
    const notice =
      'T-1001 (Michael Barnes about Chloe (5A) · Academics) has had no answer since its first answer was due at Tue 9:01 AM. Ms Rao holds it. Type "/take T-1001" to take it over.';
    expect(await alertsTo(app, STAFF.admin)).toEqual([notice]);
    expect(await alertsTo(app, STAFF.frontOffice)).toEqual([notice]);
    expect(await alertsTo(app, STAFF.accounts)).toEqual([]);
    // The admin takes it over from the chat.
    expect((await app.say(STAFF.admin, "/take T-1001")).texts).toEqual(["T-1001 is yours now."]);
  });

  it("reminds at the lead the admin set in the school's settings (settings.slaReminderMinutes)", async () => {
    const app = await withTicket();
    const admin = await signInStaff(app, STAFF.admin);
    const set = await app.json(
      "PUT",
      "/v1/school/staff-alerts",
      { slaReminderMinutes: 120 },
      admin,
    );
    expect(await set.json()).toEqual({ morningSummaryTime: "07:30", slaReminderMinutes: 120 });
    app.clock.set(MONDAY_9AM + 22 * HOUR); // Tuesday 07:00: due at 09:01, more than 2 h away
    expect((await app.staffAlertJobs.runDue()).reminded).toBe(0);
    app.clock.advance(2 * 60_000);
    expect((await app.staffAlertJobs.runDue()).reminded).toBe(1);
    const reminders = (await alertsTo(app, STAFF.rao)).filter((text) =>
      text.startsWith("Reminder"),
    );
    expect(reminders).toHaveLength(1);
  });

  it("sends no reminder or breach notice for a ticket answered in time", async () => {
    const app = await withTicket();
    app.clock.advance(60_000);
    await app.say(STAFF.rao, "T-1001 Done.");
    app.clock.set(MONDAY_9AM + 25 * HOUR);
    expect(await app.staffAlertJobs.runDue()).toMatchObject({ reminded: 0, breaches: 0 });
  });
});

describe("follow-up alerts and quiet hours", () => {
  it("alerts a follow-up at most once per 10 minutes and counts the rest in the next alert", async () => {
    const app = await withTicket();
    // Right after the new-ticket alert: counted, not alerted.
    for (const text of ["One more thing", "And another"]) {
      app.clock.advance(60_000);
      await app.say(PARENT_5A, text);
      await app.say(PARENT_5A, "1");
    }
    expect(await alertsTo(app, STAFF.rao)).toHaveLength(1);
    app.clock.advance(5 * 60_000);
    expect((await app.staffAlertJobs.runDue()).followUps).toBe(0);
    app.clock.advance(4 * 60_000);
    expect((await app.staffAlertJobs.runDue()).followUps).toBe(1);
    const alerts = (await alertsTo(app, STAFF.rao)).filter((text) => !text.startsWith("Good"));
    expect(alerts).toHaveLength(2);
    expect(alerts[1]).toMatch(
      /^T-1001 · Michael Barnes about Chloe \(5A\) sent 2 more messages; the last:\n"And another"/,
    );
    expect((await app.staffAlertJobs.runDue()).followUps).toBe(0);
  });

  it("holds alerts in quiet hours and lists the ticket in the morning summary", async () => {
    const app = await createTestParentline();
    app.clock.set(MONDAY_9AM);
    await verifyStaffChat(app, STAFF.rao);
    await verifyParent(app, PARENT_5A);
    app.clock.set(MONDAY_9AM + 13 * HOUR); // Monday 22:00: the school's quiet hours
    await makeRequest(app, PARENT_5A, { text: "Late question" });
    expect(await alertsTo(app, STAFF.rao)).toEqual([]);
    app.clock.set(MONDAY_9AM + 22 * HOUR + 29 * 60_000); // Tuesday 07:29
    expect((await app.staffAlertJobs.runDue()).summaries).toBe(0);
    app.clock.advance(60_000);
    expect((await app.staffAlertJobs.runDue()).summaries).toBe(1);
    expect((await app.staffAlertJobs.runDue()).summaries).toBe(0);
    expect(await alertsTo(app, STAFF.rao)).toEqual([
      [
        "Good morning, Ms Rao. Your open tickets (1), longest waiting first:",
        "T-1001 Michael Barnes about Chloe (5A) · Academics · waiting 9 h · 1 message while your alerts were held",
        'Type "/tickets" for this list at any time, or "T-1001 your answer" to answer one.',
      ].join("\n"),
    ]);
    expect((await app.say(STAFF.rao, "/tickets")).texts).toEqual([
      "Your open tickets (1), oldest first:\nT-1001 Michael Barnes about Chloe (5A) · Academics · waiting 9 h",
    ]);
  });

  it("counts in the morning summary the parent messages that came while alerts were held", async () => {
    const app = await withTicket(); // alerted at once: Monday 09:01
    app.clock.set(MONDAY_9AM + 13 * HOUR); // Monday 22:00: the school's quiet hours
    for (const text of ["Also, the reading log", "And the library book"]) {
      app.clock.advance(20 * 60_000);
      await app.say(PARENT_5A, text);
      await app.say(PARENT_5A, "1");
      await app.staffAlertJobs.runDue();
    }
    const before = await alertsTo(app, STAFF.rao);
    expect(before).toHaveLength(1);
    app.clock.set(MONDAY_9AM + 22 * HOUR + 30 * 60_000); // Tuesday 07:30
    expect((await app.staffAlertJobs.runDue()).summaries).toBeGreaterThan(0);
    const [summary] = (await alertsTo(app, STAFF.rao)).slice(before.length);
    expect(summary?.split("\n")[1]).toBe(
      "T-1001 Michael Barnes about Chloe (5A) · Academics · waiting 22 h · 2 messages while your alerts were held",
    );
    // The next morning counts only what came since this summary.
    app.clock.advance(24 * HOUR);
    await app.staffAlertJobs.runDue();
    const next = (await alertsTo(app, STAFF.rao)).at(-1) ?? "";
    expect(next.split("\n")[1]).toBe(
      "T-1001 Michael Barnes about Chloe (5A) · Academics · waiting 46 h",
    );
  });

  it("says in the morning summary that a held ticket was resolved overnight by someone else", async () => {
    const app = await withTicket();
    app.clock.set(MONDAY_9AM + 13 * HOUR); // Monday 22:00
    await app.say(PARENT_5A, "Never mind, found it");
    await app.say(PARENT_5A, "1");
    app.clock.advance(HOUR);
    expect((await app.say(STAFF.admin, "/resolve T-1001")).texts).toEqual([
      "T-1001 is resolved. The parent is asked to rate it, or to reopen it.",
    ]);
    const before = await alertsTo(app, STAFF.rao);
    app.clock.set(MONDAY_9AM + 22 * HOUR + 30 * 60_000); // Tuesday 07:30
    await app.staffAlertJobs.runDue();
    expect((await alertsTo(app, STAFF.rao)).slice(before.length)).toEqual([
      [
        "Good morning, Ms Rao. You have no open tickets.",
        "Resolved overnight by someone else:",
        "T-1001 Michael Barnes about Chloe (5A) · Academics · resolved by Ms Ellison after 1 message while your alerts were held",
        'Type "/tickets" for this list at any time, or "T-1001 your answer" to answer one.',
      ].join("\n"),
    ]);
    // The admin resolved it herself: her own summary does not list it as resolved by another.
    const adminSummary = (await alertsTo(app, STAFF.admin)).at(-1) ?? "";
    expect(adminSummary).not.toContain("Resolved overnight");
  });
});
