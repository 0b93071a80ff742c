// The API keys page in a real browser against a real server: an admin makes a key (shown once),
// a school system sends an event with it, the admin revokes it and the key is refused.
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { demoStaffPhone, deskTestbed, screenshots, signIn } from "./support";

describe("API keys in the staff desk", { timeout: 90_000 }, () => {
  const bed = deskTestbed("api-keys");
  let page: Page;

  beforeAll(async () => {
    page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
  });

  const sendEvent = (key: string, idempotencyKey: string) =>
    fetch(`${bed.baseUrl}/v1/integrations/events`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/json",
        "idempotency-key": idempotencyKey,
      },
      body: JSON.stringify({
        type: "attendance.marked",
        date: "2026-12-07",
        absent: ["GF-2024-003"],
        late: [],
        period: "AM",
      }),
    });

  it("lets an admin make a key shown once, see its last use, and revoke it", async () => {
    await page.goto(`${bed.baseUrl}/staff/admin`);
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByLabel(/What will use it/).fill("Attendance system");
    await page.getByRole("button", { name: "Make key" }).click();
    const key = await page.getByLabel("Key", { exact: true }).inputValue();
    expect(key).toMatch(/^plk_events_/);
    await screenshots(page, "admin-api-key-made");

    const db = new Database(bed.databasePath, { readonly: true, fileMustExist: true });
    try {
      const stored = db.prepare("select prefix, key_hash as keyHash from api_keys").all() as {
        prefix: string;
        keyHash: string;
      }[];
      expect(stored).toHaveLength(1);
      expect(key.startsWith(stored[0]?.prefix ?? "?")).toBe(true);
      expect(stored[0]?.keyHash).not.toContain(key);
    } finally {
      db.close();
    }

    expect((await sendEvent(key, "desk-1")).status).toBe(202);
    await page.goto(`${bed.baseUrl}/staff/admin/api-keys`);
    // Opened again, the page lists the key, never the key itself.
    await expect(page.getByLabel("Key", { exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText(/last used (?!never)/).count()).resolves.toBe(1);
    await page.getByRole("button", { name: "Revoke Attendance system" }).click();
    await page.getByText("Key revoked.").waitFor();
    await expect(page.getByText(/revoked/).count()).resolves.toBeGreaterThan(0);
    await screenshots(page, "admin-api-keys-revoked");
    expect((await sendEvent(key, "desk-2")).status).toBe(401);
  });
});
