import { describe, expect, it } from "vitest";
import { createTestParentline, DEMO } from "../support/parentline";

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
