// The admin pages in a real browser against a real server. The third end-to-end test: a
// roster CSV with a bad row shows that row's error, and importing it writes nothing. Also the
// guardrail form's error next to its field, adding a member of staff, the audit log, dead letters,
// the WhatsApp Web page (the channel is off here), canned replies, My alerts and flagging a parent.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../support/parentline";
import { raiseTicket } from "./api";
import { demoStaffPhone, deskTestbed, screenshots, signIn } from "./support";

const ROSTER = [
  "admission_no,first_name,last_name,class,guardian_name,guardian_phone",
  "GF-2099-001,Nia,Okafor,5A,Ada Okafor,+14155559001",
  "GF-2099-002,Tom,Reed,5A,Ann Reed,not a phone",
].join("\n");

describe("the admin pages of the staff desk", { timeout: 90_000 }, () => {
  const bed = deskTestbed("admin");
  let page: Page;

  /** Rows of the tables a roster import writes, read from the server's database file. */
  function directoryCounts() {
    const db = new Database(bed.databasePath, { readonly: true, fileMustExist: true });
    try {
      return ["classes", "students", "guardians", "guardian_students", "audit_log"].map(
        (table) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n,
      );
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
  });

  it("shows a roster CSV's bad row with its error, and importing it writes nothing", async () => {
    const csv = join(bed.dir, "roster.csv");
    writeFileSync(csv, ROSTER);
    const before = directoryCounts();

    await page.goto(`${bed.baseUrl}/staff/admin`);
    await screenshots(page, "admin");
    await page.getByRole("link", { name: "Roster import" }).click();
    await page.getByLabel("Roster CSV").setInputFiles(csv);
    await page.getByRole("button", { name: "Check (changes nothing)" }).click();
    const refused = page.locator("tr.refused");
    await expect(refused.count()).resolves.toBe(1);
    await expect(refused.locator("td").first().textContent()).resolves.toBe("3");
    await expect(refused.textContent()).resolves.toMatch(/guardian_phone: .*phone/i);
    await expect(page.getByRole("heading", { name: /1 of 2 rows refused/ }).count()).resolves.toBe(
      1,
    );
    await screenshots(page, "admin-roster-report");

    await page.getByLabel("Roster CSV").setInputFiles(csv);
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect(page.locator("tr.refused").count()).resolves.toBe(1);
    await expect(page.getByText("nothing was written").count()).resolves.toBe(1);
    expect(directoryCounts()).toEqual(before);
  });

  it("refuses a guardrail limit out of range next to its field, and saves a good one", async () => {
    await page.goto(`${bed.baseUrl}/staff/admin/guardrails`);
    const field = page.getByLabel("Open tickets a parent may have at once");
    await field.fill("0");
    await page.getByRole("button", { name: "Save limits" }).click();
    await expect(field.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(page.locator("#maxOpenTickets-error").textContent()).resolves.toBe(
      "Must be at least 1.",
    );
    await screenshots(page, "admin-guardrails-error");
    await page.getByLabel("Open tickets a parent may have at once").fill("4");
    await page.getByRole("button", { name: "Save limits" }).click();
    await page.getByText("Limits saved").waitFor();
    await expect(
      page.getByLabel("Open tickets a parent may have at once").inputValue(),
    ).resolves.toBe("4");
  });

  it("adds a member of staff, and says so next to the phone when it is taken", async () => {
    await page.goto(`${bed.baseUrl}/staff/admin/staff`);
    await page.getByLabel("First name").fill("Ola");
    await page.getByLabel("Last name").fill("Nwosu");
    await page.getByLabel("Mobile number").fill(await demoStaffPhone(bed.baseUrl, "Ms Rao"));
    await page.getByRole("button", { name: "Add member" }).click();
    await expect(page.locator("#phone-error").textContent()).resolves.toContain(
      "another staff member of this school has this phone",
    );
    await page.getByLabel("Mobile number").fill("+14155559002");
    await page.getByRole("button", { name: "Add member" }).click();
    await page.getByText("Member added.").waitFor();
    await expect(page.getByRole("cell", { name: "Ola Nwosu", exact: true }).count()).resolves.toBe(
      1,
    );
    await screenshots(page, "admin-staff");
  });

  it("lists the audit log, dead letters and the WhatsApp Web state", async () => {
    await page.goto(`${bed.baseUrl}/staff/admin/audit`);
    await expect(page.getByRole("cell", { name: "school.guardrails" }).count()).resolves.toBe(1);
    await screenshots(page, "admin-audit");
    await page.goto(`${bed.baseUrl}/staff/admin/dead-letters`);
    await expect(page.getByText("Nothing here.").count()).resolves.toBe(1);
    await screenshots(page, "admin-dead-letters");
    await page.goto(`${bed.baseUrl}/staff/whatsapp-web`);
    await expect(page.getByText(/WhatsApp Web is off/).count()).resolves.toBe(1);
    await screenshots(page, "whatsapp-web");
  });

  it("adds a canned reply, and shows a member's alerts with how to link a chat", async () => {
    await page.goto(`${bed.baseUrl}/staff/admin`);
    await page.getByRole("link", { name: "Canned replies" }).click();
    const add = page.getByRole("form", { name: "Add a canned reply" });
    await add.getByLabel(/^Title/).fill("Trip money");
    await add.getByLabel("Text").fill("Dear {parent}, {child}'s trip money is due on Friday.");
    await add.getByRole("button", { name: "Add" }).click();
    await page.getByText("Canned reply added.").waitFor();
    await expect(
      page.getByRole("form", { name: "Canned reply: Trip money" }).count(),
    ).resolves.toBe(1);
    await screenshots(page, "admin-canned-replies");

    await page.getByRole("link", { name: "My alerts" }).click();
    await expect(page.getByText("No chat is linked yet").count()).resolves.toBe(1);
    await page.getByLabel("Only the morning summary of my open tickets").check();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Your alert settings are saved.").waitFor();
    await expect(
      page.getByLabel("Only the morning summary of my open tickets").isChecked(),
    ).resolves.toBe(true);
    await screenshots(page, "my-alerts");
  });

  it("flags a parent from their ticket, and clears the flag", async () => {
    const reference = await raiseTicket(bed.baseUrl, DEMO.parentWithOneChild, "Fees again?");
    await page.goto(`${bed.baseUrl}/staff/tickets/${reference}`);
    await page.getByRole("button", { name: "Flag this parent" }).click();
    await expect(page.locator("#flag-error").textContent()).resolves.toContain("Say why");
    await expect(page.getByLabel(/^Why flag/).getAttribute("aria-invalid")).resolves.toBe("true");
    await page.getByLabel(/^Why flag/).fill("Abusive to the office");
    await page.getByRole("button", { name: "Flag this parent" }).click();
    await page.getByText("Parent flagged: their new tickets go to an admin.").waitFor();
    await expect(page.locator(".badge.flagged").textContent()).resolves.toContain(
      "Abusive to the office",
    );
    await screenshots(page, "ticket-flagged");
    await page.getByRole("button", { name: "Clear the flag" }).click();
    await page.getByText("Flag cleared.").waitFor();
    await expect(page.locator(".badge.flagged").count()).resolves.toBe(0);
  });
});
