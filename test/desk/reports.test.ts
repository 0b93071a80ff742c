// The weekly report page in a real browser against a real server: the week's figures and its
// server-drawn SVG charts, for an admin (the school) and a teacher (their classes), readable on a
// phone's width without scrolling sideways.
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, openSqliteDatabase } from "../../db/node";
import { TICKET_EXPORT_HEADER } from "../../src/services/exports";
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

  it("downloads the shown week's tickets as CSV, as many as the page counts", async () => {
    const page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
    await page.goto(`${bed.baseUrl}${WEEK}`);
    const link = page.getByRole("link", { name: "Download this week's tickets (CSV)" });
    await expect(link.isVisible()).resolves.toBe(true);
    await screenshots(page, "weekly-report-download");
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("tickets-2026-11-16-to-2026-11-22.csv");
    const file = readFileSync((await download.path()) as string, "utf8");
    const lines = file.split("\r\n").filter(Boolean);
    expect(lines[0]).toBe(`\uFEFF${TICKET_EXPORT_HEADER.trimEnd()}`);
    expect(lines.length - 1).toBe(13);

    // A teacher's file holds their classes' tickets only, as their page does.
    const teacher = await bed.newPage();
    await signIn(teacher, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Rao"));
    await teacher.goto(`${bed.baseUrl}${WEEK}`);
    const [theirs] = await Promise.all([
      teacher.waitForEvent("download"),
      teacher.getByRole("link", { name: "Download this week's tickets (CSV)" }).click(),
    ]);
    const theirLines = readFileSync((await theirs.path()) as string, "utf8")
      .split("\r\n")
      .filter(Boolean);
    expect(theirLines.length - 1).toBe(11);
  });

  it("gives the week's file only to a signed-in member, and only for a date", async () => {
    const url = `${bed.baseUrl}/staff/reports/weekly/tickets.csv?week=2026-11-16`;
    const signedOut = await fetch(url, { redirect: "manual" });
    expect(signedOut.headers.get("content-type") ?? "").not.toContain("text/csv");
    expect(signedOut.status).not.toBe(200);
    const page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
    const bad = await page.request.get(url.replace("2026-11-16", "last-week"));
    expect(bad.status()).toBe(422);
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
