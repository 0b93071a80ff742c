// The weekly report page in a real browser against a real server: the week's figures and its
// server-drawn SVG charts, for an admin (the school) and a teacher (their classes), readable on a
// phone's width without scrolling sideways.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, openSqliteDatabase } from "../../db/node";
import { insertWeekOfTickets } from "../reports/report-fixtures";
import { demoStaffPhone, deskTestbed, screenshots, signIn } from "./support";

const WEEK = "/staff/reports/weekly?week=2026-11-16";

const figures = (page: Page) =>
  page
    .locator(".figures > div")
    .evaluateAll((tiles) =>
      tiles.map((tile) => [
        tile.querySelector("dt")?.textContent?.trim(),
        tile.querySelector("dd")?.textContent?.trim(),
      ]),
    );

const chartLabels = (page: Page) =>
  page
    .locator("svg[role=img]")
    .evaluateAll((charts) => charts.map((c) => c.getAttribute("aria-label")));

describe("the weekly report page", { timeout: 90_000 }, () => {
  const bed = deskTestbed("reports");
  let waiting: string;

  beforeAll(async () => {
    // The server holds the database open; a second connection writes the week's tickets.
    const db = openSqliteDatabase(bed.databasePath);
    waiting = insertWeekOfTickets({ db });
    await closeDatabase(db);
  });

  it("shows an admin the school's five figures, the worst wait and charts of the week", async () => {
    const page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
    await page.getByRole("link", { name: "Reports" }).click();
    await page.waitForURL(/\/staff\/reports\/weekly$/);
    await page.goto(`${bed.baseUrl}${WEEK}`);
    await expect(figures(page)).resolves.toEqual([
      ["Requests", "13"],
      ["First answer (median)", "5 h"],
      ["Past the SLA", "4 (31 %)"],
      ["Resolved", "1"],
      ["Parents' rating", "4/5 (1)"],
    ]);
    await expect(page.getByText("Longest wait:").textContent()).resolves.toBe(
      `Longest wait: ${waiting} (Academics), 16 working hours, still unanswered.`,
    );
    await expect(chartLabels(page)).resolves.toEqual([
      "Requests by day: Mon 16 10, Tue 17 0, Wed 18 1, Thu 19 1, Fri 20 1, Sat 21 0, Sun 22 0",
      "First answer by topic (median, working hours): Academics 5 h, Fees 2 h",
      "Past the SLA by topic: Academics 27 %, Fees 50 %",
    ]);
    // Ten requests on Monday draw the longest bar of the day chart.
    const widths = await page
      .locator("#by-day-title + svg rect")
      .evaluateAll((bars) => bars.map((bar) => Number(bar.getAttribute("width"))));
    expect(widths[0]).toBe(Math.max(...widths));
    await screenshots(page, "weekly-report");

    // On a phone: no sideways scrolling, and the chart text is drawn at a readable size.
    await page.setViewportSize({ width: 360, height: 800 });
    const phone = {
      scrollWidth: (await page.evaluate("document.documentElement.scrollWidth")) as number,
      textHeight: (await page.locator("svg[role=img] text").first().boundingBox())?.height ?? 0,
    };
    expect(phone.scrollWidth).toBeLessThanOrEqual(360);
    expect(phone.textHeight).toBeGreaterThanOrEqual(11);
  });

  it("shows a teacher only their classes' tickets", async () => {
    const page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Rao"));
    await page.goto(`${bed.baseUrl}${WEEK}`);
    await expect(figures(page)).resolves.toEqual([
      ["Requests", "11"],
      ["First answer (median)", "5 h"],
      ["Past the SLA", "3 (27 %)"],
      ["Resolved", "0"],
      ["Parents' rating", "– (0)"],
    ]);
    await expect(page.getByRole("heading", { name: "By topic" }).isVisible()).resolves.toBe(true);
    await screenshots(page, "weekly-report-teacher");
  });
});
