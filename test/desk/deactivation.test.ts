// The fourth end-to-end test in a real browser against a real server: a member deactivated
// by an admin while their desk is open is signed out at their next action, and that action changes
// nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../support/parentline";
import { type ServerProcess, startServer, stopAllServers } from "../support/server-process";
import { raiseTicket } from "./api";
import { demoStaffPhone, launchChromium, screenshots, signIn } from "./support";

describe("deactivating a member with an open desk", { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "parentline-desk-deactivate-"));
  const databasePath = join(dir, "parentline.db");
  let server: ServerProcess;
  let browser: Browser;
  let teacher: Page;
  let admin: Page;

  const messageCount = () => {
    const db = new Database(databasePath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("select count(*) as n from ticket_messages").get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    server = await startServer({ databasePath });
    browser = await launchChromium();
    teacher = await (
      await browser.newContext({ viewport: { width: 1280, height: 800 } })
    ).newPage();
    admin = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(teacher, server.baseUrl, await demoStaffPhone(server.baseUrl, "Ms Rao"));
    await signIn(admin, server.baseUrl, await demoStaffPhone(server.baseUrl, "Ms Ellison"));
  });

  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it("signs the desk out at its next action, which writes nothing", async () => {
    const reference = await raiseTicket(
      server.baseUrl,
      DEMO.parentWithOneChild,
      "Is there a test?",
    );
    await teacher.goto(`${server.baseUrl}/staff/tickets/${reference}`);
    await teacher.getByLabel(/^Note for staff/).fill("Written after I was deactivated");

    await admin.goto(`${server.baseUrl}/staff/admin/staff`);
    await admin.getByRole("button", { name: "Deactivate Ms Rao" }).click();
    await admin.getByText("Saved.").waitFor();
    await expect(admin.getByRole("button", { name: "Reactivate Ms Rao" }).count()).resolves.toBe(1);

    const before = messageCount();
    await teacher.getByRole("button", { name: "Add note" }).click();
    await teacher.waitForURL(`${server.baseUrl}/staff?ended=1`);
    await expect(teacher.getByText("You have been signed out.").count()).resolves.toBe(1);
    await screenshots(teacher, "signed-out");
    expect(messageCount()).toBe(before);

    // And the desk stays closed: the queue sends the member to sign in.
    await teacher.goto(`${server.baseUrl}/staff/tickets`);
    expect(new URL(teacher.url()).pathname).toBe("/staff");
    await expect(teacher.getByLabel("Your mobile number").count()).resolves.toBe(1);
  });
});
