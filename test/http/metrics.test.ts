import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { createTestParentline, DEMO, type TestParentline } from "../support/parentline";

describe("GET /metrics", () => {
  it("serves Prometheus text with requests by route pattern, inbound messages and outbox rows", async () => {
    const app = await createTestParentline();
    await app.say(DEMO.parentWithOneChild, "hi", "m-1");
    await app.say(DEMO.parentWithOneChild, "hi", "m-1");
    await app.json("GET", "/v1/tickets/42");
    const response = await app.json("GET", "/metrics");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain(
      'parentline_inbound_messages_total{channel="simulator",outcome="handled"} 1',
    );
    expect(text).toContain(
      'parentline_inbound_messages_total{channel="simulator",outcome="duplicate"} 1',
    );
    expect(text).toContain(
      'parentline_http_requests_total{method="POST",route="/dev/chat/send",status="200"} 2',
    );
    // Ids never become labels: the route pattern does.
    expect(text).toContain('route="/v1/tickets/:id",status="401"');
    expect(text).toContain('parentline_outbox_sends_total{channel="simulator",result="sent"} 2');
    expect(text).toMatch(/parentline_outbox_messages\{status="sent"\} 2/);
  });
});

describe("who may read GET /metrics", () => {
  const TOKEN = "metrics-token-0123456789";
  const PRODUCTION = { NODE_ENV: "production", APP_SECRET: "p".repeat(40) } as const;
  const scrape = (app: TestParentline, authorization?: string) =>
    app.app.request("/metrics", authorization ? { headers: { authorization } } : {});

  it("asks for the METRICS_TOKEN bearer when one is set", async () => {
    const app = await createTestParentline({ METRICS_TOKEN: TOKEN });
    for (const authorization of [
      undefined,
      "Bearer wrong-token-0123456789",
      `Basic ${TOKEN}`,
      TOKEN,
    ]) {
      const refused = await scrape(app, authorization);
      expect(refused.status, String(authorization)).toBe(401);
      expect(refused.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        "unauthorized",
      );
    }
    const allowed = await scrape(app, `Bearer ${TOKEN}`);
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain("parentline_http_requests_total");
  });

  it("answers 404 in production when no token is set, whatever the request carries", async () => {
    const app = await createTestParentline({ ...PRODUCTION });
    for (const authorization of [undefined, `Bearer ${TOKEN}`, "Bearer "]) {
      const response = await scrape(app, authorization);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  it("serves production scrapes that carry the token", async () => {
    const app = await createTestParentline({ ...PRODUCTION, METRICS_TOKEN: TOKEN });
    expect((await scrape(app)).status).toBe(401);
    expect((await scrape(app, `Bearer ${TOKEN}`)).status).toBe(200);
  });

  it("stays open in development when no token is set", async () => {
    const app = await createTestParentline({ NODE_ENV: "development" });
    expect((await scrape(app)).status).toBe(200);
  });

  it("refuses a token shorter than 16 characters at start", () => {
    expect(() => parseConfig({ METRICS_TOKEN: "short" })).toThrow(/METRICS_TOKEN/);
  });
});
