// The HTML pages work in a real browser under their Content-Security-Policy, with no network but
// this server's: headless Chromium (Debian's, as for WhatsApp Web) renders each page and reports
// any script or style the policy refused.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServerProcess, startServer, stopAllServers } from "../support/server-process";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

/** The page's DOM once its scripts have run, and what the browser logged (CSP refusals included). */
function render(url: string, profile: string): Promise<{ dom: string; log: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      CHROMIUM,
      [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        `--user-data-dir=${profile}`,
        "--enable-logging=stderr",
        "--v=0",
        "--virtual-time-budget=8000",
        "--dump-dom",
        url,
      ],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(error) : resolve({ dom: stdout, log: stderr })),
    );
  });
}

const refusals = (log: string) =>
  log.split("\n").filter((line) => /Content Security Policy|Refused to/i.test(line));

describe.skipIf(!existsSync(CHROMIUM))("the pages in a browser", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "parentline-pages-"));
  let server: ServerProcess;

  beforeAll(async () => {
    server = await startServer({ databasePath: join(dir, "parentline.db") });
  });
  afterAll(async () => {
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders the API reference from this server's own script", async () => {
    const { dom, log } = await render(`${server.baseUrl}/v1/docs`, join(dir, "docs"));
    expect(refusals(log)).toEqual([]);
    // Rendered by the script from /v1/openapi.json (the page as served holds none of it): the
    // API's description, and the sidebar's tags.
    expect(dom).toContain("Teachers and office staff answer parents here");
    expect(dom).toMatch(/>\s*Sign-in\s*</);
    expect(dom).toMatch(/>\s*Tickets\s*</);
  });

  it("runs the chat simulator's script, which lists the demo personas", async () => {
    const { dom, log } = await render(`${server.baseUrl}/dev/chat`, join(dir, "chat"));
    expect(refusals(log)).toEqual([]);
    expect(dom).toContain("Emily Abbott");
  });
});
