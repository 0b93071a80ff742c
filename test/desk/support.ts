// Drives the staff desk in Debian's Chromium through playwright-core (which never downloads a
// browser), against a real server process; signs staff in through the desk's own forms and writes
// a screenshot of each page at 1280 and 360 px wide.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { eventually } from "../support/eventually";
import { codeIn } from "../support/parentline";
import { type ServerProcess, startServer, stopAllServers } from "../support/server-process";

export const CHROMIUM_PATH = "/usr/bin/chromium";

const SCREENSHOTS = fileURLToPath(new URL("../../.test-results/screenshots/", import.meta.url));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Writes the page as it is now at 1280 and 360 px wide (<name>-1280.png, <name>-360.png). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const before = page.viewportSize() ?? { width: 1280, height: 800 };
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `${SCREENSHOTS}${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize(before);
}

interface HistoryBody {
  messages: { direction: "in" | "out"; text: string; kind?: string; at: string }[];
}

export async function phoneHistory(baseUrl: string, address: string) {
  const response = await fetch(
    `${baseUrl}/dev/chat/history?address=${encodeURIComponent(address)}`,
  );
  if (!response.ok) throw new Error(`history: ${response.status}`);
  return ((await response.json()) as HistoryBody).messages;
}

interface DemoBody {
  schools: {
    name: string;
    staff: { name: string; phone: string; role: string; classes: string[] }[];
  }[];
}

/** A demo staff member's phone, by display name ("Ms Rao"), in the first school. */
export async function demoStaffPhone(baseUrl: string, name: string): Promise<string> {
  const demo = (await (await fetch(`${baseUrl}/dev/demo`)).json()) as DemoBody;
  const member = demo.schools[0]?.staff.find((m) => m.name === name);
  if (!member) throw new Error(`no demo staff member ${name}`);
  return member.phone;
}

const codesOf = async (baseUrl: string, phone: string) =>
  (await phoneHistory(baseUrl, phone)).filter((m) => m.kind === "otp");

/** How many sign-in codes the phone has received so far. */
export async function codesSeen(baseUrl: string, phone: string): Promise<number> {
  return (await codesOf(baseUrl, phone)).length;
}

/** The first sign-in code the phone receives after the `seen` it had, once it has arrived. */
export function nextCode(baseUrl: string, phone: string, seen: number): Promise<string> {
  return eventually("the sign-in code", async () => {
    const otp = (await codesOf(baseUrl, phone))[seen];
    return otp ? codeIn([otp.text]) : undefined;
  });
}

/** Signs in through the desk's forms; ends on the ticket queue. */
export async function signIn(page: Page, baseUrl: string, phone: string): Promise<void> {
  await page.goto(`${baseUrl}/staff`);
  await page.getByLabel("Your mobile number").fill(phone);
  const seen = await codesSeen(baseUrl, phone);
  await page.getByRole("button", { name: "Send me a code" }).click();
  const code = await nextCode(baseUrl, phone, seen);
  await page.getByLabel("The 6-digit code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/staff\/tickets/);
}

/**
 * A real server over a fresh database (and `env`'s variables), and a Chromium, for one test file:
 * started before its tests, stopped (and the database removed) after them.
 */
export function deskTestbed(name: string, env?: () => Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), `parentline-desk-${name}-`));
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // Read when the server starts, after the file's earlier beforeAll hooks (a stand-in's port).
    server = await startServer({
      databasePath: join(dir, "parentline.db"),
      ...(env ? { env: env() } : {}),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the testbed has not started");
    return value;
  };
  return {
    dir,
    databasePath: join(dir, "parentline.db"),
    get baseUrl() {
      return started(server).baseUrl;
    },
    get browser() {
      return started(browser);
    },
    /** A page with cookies of its own (another person's desk), 1280 px wide. */
    async newPage(): Promise<Page> {
      const context = await started(browser).newContext({ viewport: { width: 1280, height: 800 } });
      return context.newPage();
    },
  };
}
