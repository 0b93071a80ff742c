import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { codesSeen, demoStaffPhone, deskTestbed, nextCode, screenshots, signIn } from "./support";

describe("staff desk sign-in", { timeout: 60_000 }, () => {
  const bed = deskTestbed("signin");
  let context: BrowserContext;
  let page: Page;
  let teacherPhone = "";

  beforeAll(async () => {
    context = await bed.browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    teacherPhone = await demoStaffPhone(bed.baseUrl, "Ms Rao");
  });

  it("says a wrong code is wrong, next to the code field, and starts no session", async () => {
    await page.goto(`${bed.baseUrl}/staff`);
    await screenshots(page, "sign-in");
    await page.getByLabel("Your mobile number").fill(teacherPhone);
    const seen = await codesSeen(bed.baseUrl, teacherPhone);
    await page.getByRole("button", { name: "Send me a code" }).click();
    const code = await nextCode(bed.baseUrl, teacherPhone, seen);
    const wrong = code === "000000" ? "111111" : "000000";
    await page.getByLabel("The 6-digit code").fill(wrong);
    await page.getByRole("button", { name: "Sign in" }).click();
    const field = page.getByLabel("The 6-digit code");
    await expect(field.getAttribute("aria-invalid")).resolves.toBe("true");
    const describedBy = await field.getAttribute("aria-describedby");
    await expect(page.locator(`#${describedBy}`).textContent()).resolves.toContain(
      "That code is wrong",
    );
    await screenshots(page, "sign-in-code-error");
    expect(await context.cookies()).toEqual([]);
  });

  it("signs in with the code and keeps the session in an HttpOnly, SameSite=Lax cookie", async () => {
    await signIn(page, bed.baseUrl, teacherPhone);
    await expect(page.getByRole("heading", { name: "Tickets" }).isVisible()).resolves.toBe(true);
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: "parentline_desk", httpOnly: true, sameSite: "Lax" });
    expect(cookie?.path).toBe("/staff");
    // Not in production: no Secure flag, so the plain-HTTP development server works.
    expect(cookie?.secure).toBe(false);
    await screenshots(page, "queue");
  });

  it("refuses a form without the session's CSRF token, and one from another origin", async () => {
    // From the desk's own origin, so only the session's token can refuse it.
    const withoutToken = await page.request.post(`${bed.baseUrl}/staff/sign-out`, {
      form: { _csrf: "forged" },
      headers: { origin: bed.baseUrl },
    });
    expect(withoutToken.status()).toBe(403);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const crossSite = await page.request.post(`${bed.baseUrl}/staff/sign-out`, {
      form: { _csrf: csrf },
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status()).toBe(403);
    // Neither signed the desk out.
    await page.reload();
    expect(new URL(page.url()).pathname).toBe("/staff/tickets");
  });

  it("signs out: the cookie's refresh family is revoked, so the old cookie opens nothing", async () => {
    const [cookie] = await context.cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(`${bed.baseUrl}/staff`);
    await expect(page.getByLabel("Your mobile number").isVisible()).resolves.toBe(true);

    const replayed = await fetch(`${bed.baseUrl}/staff/tickets`, {
      headers: { cookie: `parentline_desk=${cookie?.value}` },
      redirect: "manual",
    });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("location")).toMatch(/^\/staff\?next=/);
    // The same family through the API: revoked too.
    const refreshed = await fetch(`${bed.baseUrl}/v1/auth/refresh`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refreshToken: cookie?.value }),
    });
    expect(refreshed.status).toBe(401);
  });
});
