// The staff desk on the local Workers runtime (workerd), in Chromium, for two tenants: a teacher of
// tenant a signs in at a's link (/t/a/staff), then works on the desk's own /staff/… links, which
// the Worker routes by the tenant her cookie names; a's ticket, made by a Telegram webhook, shows
// up live, and her reply reaches a's stand-in Bot API. Tenant b's staff never see it, a's cookie is
// refused by b's object with no effect, signing out ends it. Also /v1/docs, whose script is a
// static asset.
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi, SECRET } from "../channels/telegram/bot-api";
import { launchChromium, screenshots } from "../desk/support";
import { eventually } from "../support/eventually";
import { STAFF } from "../support/parentline";
import { type StandInServer, serveStandIn } from "../support/stand-in-server";
import { type LocalWorker, startLocalWorker } from "../support/workerd";
import { codeAfter } from "./phone-codes";
import { CHAT_ID, SLOW_RUNTIME_MS, telegramParents } from "./telegram-parents";

const TOKENS = { a: "7000000011:AAH-desk_A-token", b: "7000000012:AAH-desk_B-token" } as const;
type Tenant = keyof typeof TOKENS;
const ASKED = "Desk on Workers: could Chloe's reading list be resent?";
const ANSWERED = "The reading list is in Chloe's bag today.";
const SCREENSHOTS = fileURLToPath(new URL("../../.test-results/screenshots/", import.meta.url));

let standIn: StandInServer;
let worker: LocalWorker;
let botApis: Record<Tenant, FakeBotApi>;
let browser: Awaited<ReturnType<typeof launchChromium>>;
const { parentAsks } = telegramParents(() => worker);

beforeAll(async () => {
  standIn = await serveStandIn();
  botApis = { a: new FakeBotApi(TOKENS.a, standIn.url), b: new FakeBotApi(TOKENS.b, standIn.url) };
  standIn.use(botApis.a.handler(), botApis.b.handler());
  [worker, browser] = await Promise.all([
    startLocalWorker({
      NODE_ENV: "development",
      APP_SECRET: "workers-desk-secret-of-at-least-32-chars!",
      LOG_LEVEL: "warn",
      WORKER_PUBLIC_URL: "https://parentline.example",
      TELEGRAM_API_ROOT: standIn.url,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_PER_CHAT_PER_SECOND: "30",
      TENANT_CONFIG_A: JSON.stringify({ TELEGRAM_BOT_TOKEN: TOKENS.a }),
      TENANT_CONFIG_B: JSON.stringify({ TELEGRAM_BOT_TOKEN: TOKENS.b }),
    }),
    launchChromium(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await worker?.dispose();
  await standIn?.close();
});

/** Signs in through the desk's own forms at the tenant's link; ends on the ticket queue. */
async function signInAt(page: Page, tenant: Tenant, phone: string): Promise<void> {
  await page.goto(`${worker.url}/t/${tenant}/staff`);
  await page.getByLabel("Your mobile number").fill(phone);
  const code = await codeAfter(worker, tenant, phone, async () => {
    await page.getByRole("button", { name: "Send me a code" }).click();
    await page.getByLabel("The 6-digit code").waitFor();
  });
  await page.getByLabel("The 6-digit code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  // The desk's own links, with no tenant in them: the cookie names it.
  await page.waitForURL(`${worker.url}/staff/tickets`);
}

async function newDesk(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return { context, page: await context.newPage() };
}

/** The desk cookie a browser holds, as a request header. */
async function deskCookieOf(context: BrowserContext): Promise<string> {
  const cookie = (await context.cookies()).find((c) => c.name === "parentline_desk");
  if (!cookie) throw new Error("no desk cookie");
  return `parentline_desk=${cookie.value}`;
}

const sentByBot = (tenant: Tenant, text: string) =>
  botApis[tenant].callsOf("sendMessage").filter((body) => String(body.text).includes(text));

describe("the staff desk on Workers, one tenant per Durable Object", { timeout: 120_000 }, () => {
  let a: { context: BrowserContext; page: Page };
  let reference = "";

  it("signs a's teacher in at a's link, with a cookie that names a at Path=/", async () => {
    a = await newDesk();
    await signInAt(a.page, "a", STAFF.rao);
    const [cookie] = (await a.context.cookies()).filter((c) => c.name === "parentline_desk");
    expect(cookie).toMatchObject({ path: "/", httpOnly: true, sameSite: "Lax" });
    expect(cookie?.value).toMatch(/^a\.[\w-]{43}$/);
    await screenshots(a.page, "workers-desk-queue-empty");
  });

  it("shows a's new ticket in her queue live (the event stream through the Worker and object)", async () => {
    await a.page.goto(`${worker.url}/staff/tickets?view=mine&status=open`);
    await expect(a.page.locator(".queue li").count()).resolves.toBe(0);
    // A reload would drop this marker.
    await a.page.evaluate(() => {
      (globalThis as unknown as { stillHere: boolean }).stillHere = true;
    });
    await parentAsks("a", ASKED);
    const row = a.page.locator(".queue li", { hasText: ASKED });
    await row.waitFor({ timeout: SLOW_RUNTIME_MS });
    await expect(
      a.page.evaluate(() => (globalThis as unknown as { stillHere?: boolean }).stillHere),
    ).resolves.toBe(true);
    reference = (await row.locator("a").first().textContent())?.match(/T-\d+/)?.[0] ?? "";
    expect(reference).toMatch(/^T-\d+$/);
    await screenshots(a.page, "workers-desk-queue-live");
  });

  it("sends her reply from the ticket page to the parent through a's Bot API only", async () => {
    await a.page.locator(".queue a", { hasText: reference }).click();
    await a.page.waitForURL(`${worker.url}/staff/tickets/${reference}`);
    await a.page.getByLabel("Message (goes to the parent on Telegram)").fill(ANSWERED);
    await a.page.getByRole("button", { name: "Send reply" }).click();
    await a.page.getByText("Reply sent to the parent.").waitFor();
    const [sent] = await eventually(
      "the reply on a's bot",
      async () => {
        const calls = sentByBot("a", ANSWERED);
        return calls.length > 0 ? calls : undefined;
      },
      SLOW_RUNTIME_MS,
    );
    expect(sent).toMatchObject({ chat_id: String(CHAT_ID) });
    expect(String(sent?.text)).toContain(`${reference} · Ms Rao: ${ANSWERED}`);
    expect(sentByBot("b", ANSWERED)).toEqual([]);
    // The page's own poll of its thread (a fragment request through the Worker) moves the badge.
    await a.page
      .locator(".thread li.staff", { hasText: ANSWERED })
      .locator(".badge", { hasText: "Sent" })
      .waitFor({ timeout: SLOW_RUNTIME_MS });
    await screenshots(a.page, "workers-desk-ticket-replied");
  });

  it("never shows a's ticket to b's staff, in the queue or by its reference", async () => {
    const b = await newDesk();
    await signInAt(b.page, "b", STAFF.rao);
    await b.page.goto(`${worker.url}/staff/tickets?view=all`);
    await expect(b.page.locator(".queue li").count()).resolves.toBe(0);
    await expect(b.page.content()).resolves.not.toContain(ASKED);
    await screenshots(b.page, "workers-desk-other-tenant");
    const byReference = await b.page.goto(`${worker.url}/staff/tickets/${reference}`);
    expect(byReference?.status()).toBe(404);
    await expect(b.page.content()).resolves.not.toContain(ASKED);
    await b.context.close();
  });

  it("refuses a's cookie on b's paths, and a's token under b's name, with no effect anywhere", async () => {
    const cookie = await deskCookieOf(a.context);
    const token = cookie.replace("parentline_desk=a.", "");
    const csrf = (await a.page.locator('input[name="_csrf"]').first().getAttribute("value")) ?? "";
    const before = botApis.b.callsOf("sendMessage").length;

    const read = await worker.fetch("/t/b/staff/tickets", {
      headers: { cookie },
      redirect: "manual",
    });
    expect(read.status).toBe(303);
    expect(read.headers.get("location")).toBe("/t/b/staff?next=%2Fstaff%2Ftickets");
    // a's cookie is not b's to clear.
    expect(read.headers.get("set-cookie")).toBeNull();
    const form = (headers: Record<string, string>, path: string) =>
      worker.fetch(path, {
        method: "POST",
        redirect: "manual",
        headers: {
          ...headers,
          origin: worker.url,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ _csrf: csrf, body: "Replayed on b" }).toString(),
      });
    const replayed = await form({ cookie }, "/t/b/staff/tickets/T-1001/reply");
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("location")).toBe("/t/b/staff?ended=1");
    // The same token labelled b: the Worker routes it to b, whose keys do not know it.
    const relabelled = await form(
      { cookie: `parentline_desk=b.${token}` },
      `/staff/tickets/${reference}/reply`,
    );
    expect(relabelled.status).toBe(303);
    expect(relabelled.headers.get("location")).toBe("/t/b/staff?ended=1");

    // Labelled with a tenant that holds nothing: that tenant's own (empty) object refuses it.
    const unknown = await worker.fetch("/staff/tickets", {
      headers: { cookie: `parentline_desk=nosuch.${token}` },
      redirect: "manual",
    });
    expect(unknown.headers.get("location")).toBe("/t/nosuch/staff?next=%2Fstaff%2Ftickets");

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(botApis.b.callsOf("sendMessage")).toHaveLength(before);
    expect(sentByBot("a", "Replayed on b")).toEqual([]);
    // a's session is untouched: her desk still works.
    const stillA = await worker.fetch("/staff/tickets", { headers: { cookie } });
    expect(stillA.status).toBe(200);
    await expect(stillA.text()).resolves.toContain(reference);
  });

  it("opens the admin pages for a's admin on the desk's own links", async () => {
    const admin = await newDesk();
    await signInAt(admin.page, "a", STAFF.admin);
    await admin.page.getByRole("link", { name: "Admin" }).click();
    await admin.page.waitForURL(`${worker.url}/staff/admin`);
    await admin.page.getByRole("link", { name: "Staff" }).first().click();
    await admin.page.waitForURL(`${worker.url}/staff/admin/staff`);
    await expect(admin.page.content()).resolves.toContain("Ms Rao");
    await screenshots(admin.page, "workers-desk-admin-staff");
    await admin.context.close();
  });

  it("signs out: back at a's sign-in link, the cookie gone and its session ended", async () => {
    const cookie = await deskCookieOf(a.context);
    await a.page.goto(`${worker.url}/staff/tickets`);
    await a.page.getByRole("button", { name: "Sign out" }).click();
    await a.page.waitForURL(`${worker.url}/t/a/staff`);
    await a.page.getByLabel("Your mobile number").waitFor();
    await screenshots(a.page, "workers-desk-signed-out");
    expect((await a.context.cookies()).some((c) => c.name === "parentline_desk")).toBe(false);
    const replayed = await worker.fetch("/staff/tickets", {
      headers: { cookie },
      redirect: "manual",
    });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get("location")).toBe("/t/a/staff?next=%2Fstaff%2Ftickets");
    // With no cookie, the desk's links ask for the school's address.
    await a.page.goto(`${worker.url}/staff/tickets`);
    await screenshots(a.page, "workers-desk-school-address");
    await a.page.getByLabel("Your school's address").fill("a");
    await a.page.getByRole("button", { name: "Go on" }).click();
    await a.page.waitForURL(`${worker.url}/t/a/staff?next=%2Fstaff%2Ftickets`);
    await a.page.getByLabel("Your mobile number").waitFor();
    await a.context.close();
  });
});

describe("the API reference on Workers", { timeout: 120_000 }, () => {
  it("serves /t/{tenant}/v1/docs with its script from the Worker's static assets", async () => {
    const { page } = await newDesk();
    const script = await worker.fetch("/v1/docs/assets/scalar-api-reference.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);

    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`${worker.url}/t/a/v1/docs`);
    // Rendered by the script from a's /v1/openapi.json: the API's description.
    await page
      .getByText("Teachers and office staff answer parents here")
      .first()
      .waitFor({ timeout: SLOW_RUNTIME_MS });
    expect(errors).toEqual([]);
    // The page is some 15,000 px long: its first screen at each width.
    for (const width of [1280, 360]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: `${SCREENSHOTS}workers-docs-${width}.png` });
    }
  });
});
