import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { DEMO } from "../support/parentline";
import { api, raiseTicket, staffToken } from "./api";
import { demoStaffPhone, deskTestbed, phoneHistory, screenshots, signIn } from "./support";

const PARENT = DEMO.parentWithOneChild;

describe("working a ticket in the staff desk", { timeout: 90_000 }, () => {
  const bed = deskTestbed("tickets");
  let page: Page;
  let reference = "";

  beforeAll(async () => {
    const admin = await staffToken(bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
    const created = await api(bed.baseUrl, "POST", "/v1/canned-replies", admin, {
      title: "Homework on its way",
      body: "Dear {parent}, {child}'s homework comes home with a classmate today.",
    });
    expect(created.status).toBe(201);
    page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Rao"));
  });

  it("shows a parent's new ticket in the teacher's open queue within 2 s, without a reload", async () => {
    await page.goto(`${bed.baseUrl}/staff/tickets?view=mine&status=open`);
    await expect(page.locator(".queue li").count()).resolves.toBe(0);
    // A reload would drop this marker.
    await page.evaluate(() => {
      (globalThis as unknown as { stillHere: boolean }).stillHere = true;
    });
    reference = await raiseTicket(bed.baseUrl, PARENT, "Could the homework be sent home?");
    const raisedAt = Date.now();
    const row = page.locator(".queue li", { hasText: reference });
    await row.waitFor({ timeout: 2_000 });
    expect(Date.now() - raisedAt).toBeLessThan(2_000);
    await expect(
      page.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere),
    ).resolves.toBe(true);
    await expect(row.textContent()).resolves.toContain("Could the homework be sent home?");
    await expect(row.getAttribute("class")).resolves.toBe("unread");
    await screenshots(page, "queue-live");
  });

  it("replies with a canned reply: the parent's phone has it and its state moves to delivered", async () => {
    await page.locator(".queue a", { hasText: reference }).click();
    await page.waitForURL(new RegExp(`/staff/tickets/${reference}$`));
    await screenshots(page, "ticket");
    await page.getByLabel("Canned reply").selectOption({ label: "Homework on its way" });
    const text = await page.getByLabel(/^Message/).inputValue();
    expect(text).toMatch(/^Dear .+, .+'s homework comes home with a classmate today\.$/);
    expect(text).not.toContain("{");
    await page.getByRole("button", { name: "Send reply" }).click();
    await page.getByText("Reply sent to the parent.").waitFor();

    const onPhone = await eventually("the reply on the parent's phone", async () =>
      (await phoneHistory(bed.baseUrl, PARENT)).find(
        (m) => m.kind === "staff_reply" && m.text.startsWith(reference),
      ),
    );
    expect(onPhone.text).toContain(text);
    const badge = page.locator(".thread li.staff .badge");
    await badge.filter({ hasText: "Delivered" }).waitFor({ timeout: 5_000 });
    await screenshots(page, "ticket-replied");
  });

  it("adds an internal note, shown apart from replies", async () => {
    await page.getByLabel(/^Note for staff/).fill("Brother is in 3B; he can carry it.");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByText("Note added.").waitFor();
    const note = page.locator(".thread li.note");
    await expect(note.textContent()).resolves.toContain("Internal note");
    await expect(note.textContent()).resolves.toContain("Brother is in 3B");
  });

  it("refuses a status the ticket cannot take, next to the status, and changes nothing", async () => {
    await page.getByLabel("Status").selectOption({ label: "Closed" });
    await page.getByRole("button", { name: "Save changes" }).click();
    const status = page.getByLabel("Status");
    await expect(status.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await status.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toMatch(
      /waiting for parent cannot become closed/,
    );
    await screenshots(page, "ticket-status-error");
    await page.reload();
    await expect(page.getByLabel("Status").inputValue()).resolves.toBe("waiting_for_parent");

    await page.getByLabel("Status").selectOption({ label: "Resolved" });
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Changes saved.").waitFor();
    await expect(page.locator(".thread li.change").last().textContent()).resolves.toContain(
      "Status: Resolved",
    );
  });

  it("opens a ticket from the queue by keyboard alone, the skip link first", async () => {
    await page.goto(`${bed.baseUrl}/staff/tickets?view=all`);
    await page.keyboard.press("Tab");
    await expect(page.locator(":focus").textContent()).resolves.toBe("Skip to content");
    for (let presses = 0; presses < 40; presses++) {
      const focused = (await page.locator(":focus").textContent()) ?? "";
      if (focused.includes(reference)) break;
      await page.keyboard.press("Tab");
    }
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/staff/tickets/${reference}$`));
  });

  it("jumps to a reference typed in the search box, and reads the ticket as seen", async () => {
    await page.goto(`${bed.baseUrl}/staff/tickets?view=all`);
    await expect(
      page.locator(".queue li", { hasText: reference }).getAttribute("class"),
    ).resolves.toBeNull();
    await page.getByLabel("Search, or go to a reference").fill(reference.toLowerCase());
    await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(new RegExp(`/staff/tickets/${reference}$`));
  });
});
