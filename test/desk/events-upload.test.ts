// The school events upload in a real browser against a real server: an admin picks a CSV, sees
// the check's report, sends it, and sending the same file again sends nothing twice; a refused
// file shows its row and column and sends nothing.
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { demoStaffPhone, deskTestbed, screenshots, signIn } from "./support";

const GOOD = [
  "type,admission_no,date,period,status,amount,currency,due_date",
  "attendance.marked,GF-2024-003,2026-12-07,AM,absent,,,",
  "attendance.marked,GF-2024-001,2026-12-07,AM,late,,,",
  "fee.reminder,GF-2024-003,,,,45.00,USD,2026-12-15",
].join("\r\n");

describe("school events upload in the staff desk", { timeout: 90_000 }, () => {
  const bed = deskTestbed("events-upload");
  let page: Page;

  beforeAll(async () => {
    page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
  });

  const eventsSent = () => {
    const db = new Database(bed.databasePath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("select count(*) as n from school_events").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const pick = (csv: string) =>
    page.getByLabel("Events CSV").setInputFiles({
      name: "events.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(csv),
    });

  it("checks a picked file, sends it once, and refuses a bad one naming the row", async () => {
    await page.goto(`${bed.baseUrl}/staff/admin/api-keys`);
    await page.getByRole("link", { name: "No integration? Upload a CSV" }).click();
    await pick(GOOD);
    await page.getByRole("button", { name: "Check (sends nothing)" }).click();
    await page
      .getByRole("heading", { name: "All 3 rows can be sent as 2 events (nothing sent yet)" })
      .waitFor();
    expect(eventsSent()).toBe(0);
    await screenshots(page, "admin-events-checked");

    await page.getByRole("button", { name: "Send 2 events" }).click();
    await page.getByRole("heading", { name: "Sent 2 events from 3 rows" }).waitFor();
    expect(eventsSent()).toBe(2);
    // No guardian here has a phone or a verified chat: the page says nothing went out.
    await page.getByText("No family could be reached: nothing was queued.").waitFor();
    await screenshots(page, "admin-events-sent");

    await page.goto(`${bed.baseUrl}/staff/admin/events`);
    await pick(GOOD);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByRole("heading", { name: "Sent 2 events from 3 rows" }).waitFor();
    expect(eventsSent()).toBe(2);

    await pick(`${GOOD}\r\nfee.reminder,GF-2024-003,,,,lots,USD,2026-12-15`);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByRole("heading", { name: "1 of 4 rows refused: nothing was sent" }).waitFor();
    await expect(page.getByRole("cell", { name: "amount", exact: true }).count()).resolves.toBe(1);
    expect(eventsSent()).toBe(2);
    await screenshots(page, "admin-events-refused");
  });
});
