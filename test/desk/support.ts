// Drives the staff desk in Debian's Chromium through playwright-core (which never downloads a
// browser), against a real server process; signs staff in through the desk's own forms and writes
// a screenshot of each page at 1280 and 360 px wide.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { codeIn } from "../support/parentline";

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `probe` every 100 ms until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
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

/** The newest sign-in code the phone received after `since` (ms), once it has arrived. */
export function newestCode(baseUrl: string, phone: string, since: number): Promise<string> {
  return eventually("the sign-in code", async () => {
    const otp = (await phoneHistory(baseUrl, phone))
      .filter((m) => m.kind === "otp" && Date.parse(m.at) >= since - 1000)
      .at(-1);
    return otp ? codeIn([otp.text]) : undefined;
  });
}

/** Signs in through the desk's forms; ends on the ticket queue. */
export async function signIn(page: Page, baseUrl: string, phone: string): Promise<void> {
  await page.goto(`${baseUrl}/staff`);
  await page.getByLabel("Your mobile number").fill(phone);
  const since = Date.now();
  await page.getByRole("button", { name: "Send me a code" }).click();
  const code = await newestCode(baseUrl, phone, since);
  await page.getByLabel("The 6-digit code").fill(code);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/staff\/tickets/);
}
