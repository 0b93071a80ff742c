import { describe, expect, it } from "vitest";
import { insertTicket, localInstant } from "../reports/report-fixtures";
import { createTestParentline, STAFF } from "../support/parentline";
import { alertsIn, verifyStaffChat } from "../support/staff-chat";

/**
 * The week of Monday 2026-11-16 at Greenfield (America/Los_Angeles; default SLA 08:00–16:00,
 * Monday to Friday, first answer within 8 working hours), worked by hand:
 *   ten academics tickets Mon 08:00 answered after 1…10 working hours (9 and 10 late);
 *   a fees ticket Fri 15:00 answered Mon 23rd 09:00 (2 h), resolved, rated 4;
 *   a fees ticket Wed 08:00 answered Thu 10:00 (10 h, late);
 *   an academics ticket Thu 08:00 never answered: late, and 16 working hours by the week's end.
 * Thirteen requests; answered waits 1 2 2 3 4 5 6 7 8 9 10 10: median (rank 6) 5 h; four of
 * thirteen past the SLA (31 %); one resolved; rated 4/5 once; the worst wait the unanswered one.
 */
async function fixture() {
  const app = await createTestParentline();
  for (let hours = 1; hours <= 10; hours++) {
    const firstResponse =
      hours <= 8
        ? `2026-11-16 ${String(8 + hours).padStart(2, "0")}:00`
        : `2026-11-17 ${String(hours).padStart(2, "0")}:00`;
    insertTicket(app, { className: "5A", created: "2026-11-16 08:00", firstResponse });
  }
  insertTicket(app, {
    className: "3A",
    category: "fees",
    created: "2026-11-20 15:00",
    firstResponse: "2026-11-23 09:00",
    resolved: "2026-11-23 10:00",
    rating: 4,
  });
  insertTicket(app, {
    className: "3A",
    category: "fees",
    created: "2026-11-18 08:00",
    firstResponse: "2026-11-19 10:00",
  });
  const waiting = insertTicket(app, { className: "5A", created: "2026-11-19 08:00" });
  const { number } = app.db.$client
    .prepare("select number from tickets where id = ?")
    .get(waiting) as { number: number };
  return { app, waitingReference: `T-${number}` };
}

describe("the weekly report in the admins' staff chat", () => {
  it("goes on Monday at 07:00 school time, once, with five numbers, the worst wait and a link", async () => {
    const { app, waitingReference } = await fixture();
    await verifyStaffChat(app, STAFF.admin);
    await verifyStaffChat(app, STAFF.rao);

    app.clock.set(localInstant("2026-11-23 06:59"));
    expect((await app.staffAlertJobs.runDue()).weeklyReports).toBe(0);

    app.clock.set(localInstant("2026-11-23 07:00"));
    expect((await app.staffAlertJobs.runDue()).weeklyReports).toBe(1);
    const reports = (await alertsIn(app, STAFF.admin)).filter((a) =>
      a.text.startsWith("Weekly report"),
    );
    expect(reports.map((r) => r.text)).toEqual([
      [
        "Weekly report, week of 2026-11-16:",
        "• 13 requests",
        "• first answer 5 h (median, working hours)",
        "• 4 past the SLA (31 %)",
        "• 1 resolved",
        "• rated 4/5 (1)",
        `Longest wait: ${waitingReference}, 16 working hours, still unanswered.`,
        "Charts: /staff/reports/weekly?week=2026-11-16",
      ].join("\n"),
    ]);
    // Teachers get none; a second run the same week sends nothing again.
    expect(
      (await alertsIn(app, STAFF.rao)).filter((a) => a.text.startsWith("Weekly report")),
    ).toEqual([]);
    app.clock.advance(60_000);
    expect((await app.staffAlertJobs.runDue()).weeklyReports).toBe(0);
  });

  it("waits for next week when the server was down past the day's morning", async () => {
    const { app } = await fixture();
    await verifyStaffChat(app, STAFF.admin);
    app.clock.set(localInstant("2026-11-23 19:01"));
    expect((await app.staffAlertJobs.runDue()).weeklyReports).toBe(0);
  });
});
