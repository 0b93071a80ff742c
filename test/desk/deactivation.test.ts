import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../support/parentline";
import { raiseTicket } from "./api";
import { demoStaffPhone, deskTestbed, screenshots, signIn } from "./support";

describe("deactivating a member with an open desk", { timeout: 90_000 }, () => {
  const bed = deskTestbed("deactivate");
  let teacher: Page;
  let admin: Page;

  const messageCount = () => {
    const db = new Database(bed.databasePath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("select count(*) as n from ticket_messages").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    teacher = await (
      await bed.browser.newContext({ viewport: { width: 1280, height: 800 } })
    ).newPage();
    admin = await bed.newPage();
    await signIn(teacher, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Rao"));
    await signIn(admin, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
  });

  it("signs the desk out at its next action, which writes nothing", async () => {
    const reference = await raiseTicket(bed.baseUrl, DEMO.parentWithOneChild, "Is there a test?");
    await teacher.goto(`${bed.baseUrl}/staff/tickets/${reference}`);
    await teacher.getByLabel(/^Note for staff/).fill("Written after I was deactivated");

    await admin.goto(`${bed.baseUrl}/staff/admin/staff`);
    await admin.getByRole("button", { name: "Deactivate Ms Rao" }).click();
    await admin.getByText("Saved.").waitFor();
    await expect(admin.getByRole("button", { name: "Reactivate Ms Rao" }).count()).resolves.toBe(1);

    const before = messageCount();
    await teacher.getByRole("button", { name: "Add note" }).click();
    await teacher.waitForURL(`${bed.baseUrl}/staff?ended=1`);
    await expect(teacher.getByText("You have been signed out.").count()).resolves.toBe(1);
    await screenshots(teacher, "signed-out");
    expect(messageCount()).toBe(before);

    // And the desk stays closed: the queue sends the member to sign in.
    await teacher.goto(`${bed.baseUrl}/staff/tickets`);
    expect(new URL(teacher.url()).pathname).toBe("/staff");
    await expect(teacher.getByLabel("Your mobile number").count()).resolves.toBe(1);
  });
});
