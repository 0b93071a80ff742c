// HTML pages carry security headers (a CSP with a per-response script nonce, no framing, no MIME
// sniffing, no referrer), every inline script carries that nonce, and nothing loads from another
// origin: /v1/docs serves its script from the installed package.
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../src/http/app-env";
import { cspNonce, htmlSecurityHeaders } from "../../src/http/security-headers";
import { createWhatsAppWebTestbed } from "../channels/whatsapp-web/harness";
import { createTestParentline, STAFF, signInStaffWithTokens } from "../support/parentline";

/** The policy's directives by name. */
function directives(response: Response): Map<string, string[]> {
  const header = response.headers.get("content-security-policy") ?? "";
  return new Map(
    header
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = "", ...values]) => [name, values]),
  );
}

/** Checks a page's headers and markup; returns its script sources. */
async function expectLockedDown(response: Response) {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  expect(response.headers.get("referrer-policy")).toBe("no-referrer");
  expect(response.headers.get("x-frame-options")).toBe("DENY");
  const policy = directives(response);
  expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
  expect(policy.get("default-src")).toEqual(["'self'"]);
  expect(policy.get("object-src")).toEqual(["'none'"]);
  expect(policy.get("connect-src")).toEqual(["'self'"]);
  const scriptSrc = policy.get("script-src") ?? [];
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  const nonce = scriptSrc.find((value) => value.startsWith("'nonce-"))?.slice(7, -1);
  expect(nonce).toMatch(/^[A-Za-z0-9+/=]{22,}$/);

  const html = await response.text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((match) => match[1] ?? "");
  expect(scripts.length).toBeGreaterThan(0);
  for (const attributes of scripts) {
    // An inline script runs only with the nonce; a script file only from this origin.
    if (!/\bsrc=/.test(attributes)) expect(attributes).toContain(`nonce="${nonce}"`);
  }
  // No event-handler attributes (the policy would block them) and nothing from another origin.
  expect(html).not.toMatch(/\son[a-z]+\s*=\s*["']/i);
  const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1] ?? "");
  // Paths on this server, data: URLs and links within the page (a skip link's #main).
  for (const reference of references) expect(reference).toMatch(/^(\/(?!\/)|data:|#)/);
  return references;
}

describe("security headers on HTML pages", () => {
  it("locks down the API docs, which load their script from this server", async () => {
    const app = await createTestParentline();
    const references = await expectLockedDown(await app.app.request("/v1/docs"));
    const script = references.find((reference) => reference.endsWith(".js"));
    expect(script).toMatch(/^\/v1\/docs\/assets\/scalar-api-reference-\d+\.\d+\.\d+\.js$/);

    const asset = await app.app.request(script ?? "");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await asset.text();
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body).toContain("createApiReference");
    const gzipped = await app.app.request(script ?? "", { headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers.get("content-encoding")).toBe("gzip");
    expect((await gzipped.arrayBuffer()).byteLength).toBeLessThan(body.length / 2);
  });

  it("gives each response its own nonce", async () => {
    const app = await createTestParentline();
    const nonceOf = async () =>
      directives(await app.app.request("/v1/docs"))
        .get("script-src")
        ?.find((v) => v.startsWith("'nonce-"));
    expect(await nonceOf()).not.toBe(await nonceOf());
  });

  it("locks down the chat simulator", async () => {
    const app = await createTestParentline();
    await expectLockedDown(await app.app.request("/dev/chat"));
  });

  it("locks down the staff desk's pages: sign-in, and the WhatsApp Web link for an admin", async () => {
    const bed = await createWhatsAppWebTestbed();
    await expectLockedDown(await bed.app.app.request("/staff"));
    // The desk's session cookie holds a refresh token: one from the API is as good.
    const { refreshToken } = await signInStaffWithTokens(bed.app, STAFF.admin);
    await expectLockedDown(
      await bed.app.app.request("/staff/whatsapp-web", {
        headers: { cookie: `parentline_desk=${refreshToken}` },
      }),
    );
    await bed.app.stop();
  });

  it("applies to any HTML response, and leaves JSON alone", async () => {
    const app = new Hono<AppEnv>()
      .use(htmlSecurityHeaders())
      .get("/staff/future-page", (c) => c.html(`<script nonce="${cspNonce(c)}">1</script>`))
      .get("/staff/data", (c) => c.json({ ok: true }));
    await expectLockedDown(await app.request("/staff/future-page"));
    const json = await app.request("/staff/data");
    expect(json.headers.get("content-security-policy")).toBeNull();
  });
});
