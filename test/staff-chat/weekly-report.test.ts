import { describe, expect, it } from "vitest";
import { insertWeekOfTickets, localInstant } from "../reports/report-fixtures";
import { createTestParentline, STAFF } from "../support/parentline";
import { alertsIn, verifyStaffChat } from "../support/staff-chat";

async function fixture() {
  const app = await createTestParentline();
  return { app, waitingReference: insertWeekOfTickets(app) };
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
