// POST /webhooks/whatsapp while the Graph API is down in each way it can be
// (WHATSAPP_CLOUD_API_BASE on 127.0.0.1): a forged or unsigned notification is refused at once
// without a call out, an authentic one is answered at once, and the reply it queued goes once the
// API is back.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../../db";
import { createTestParentline, DEMO, type TestParentline } from "../../support/parentline";
import {
  OUTAGES,
  providerOutages,
  requestsLeaving,
  TEST_API_TIMEOUT_MS,
  timed,
} from "../../support/unreachable-api";
import { graphApi, signatureOf, tableCounts, textOf, textWebhook, WHATSAPP_ENV } from "./support";

const PARENT = DEMO.parentWithTwoChildren;
const { server, during: whatsAppDuring } = providerOutages((base) =>
  createTestParentline({
    ...WHATSAPP_ENV,
    WHATSAPP_CLOUD_API_BASE: base,
    WHATSAPP_CLOUD_TIMEOUT_MS: String(TEST_API_TIMEOUT_MS),
  }),
);

/** POSTs a notification as Meta does; `signature` null sends none. */
function post(app: TestParentline, payload: unknown, signature?: string | null) {
  const body = JSON.stringify(payload);
  const header = signature === undefined ? signatureOf(body) : signature;
  return app.app.request("/webhooks/whatsapp", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(header === null ? {} : { "x-hub-signature-256": header }),
    },
    body,
  });
}

describe.each(OUTAGES)("WhatsApp Cloud while the Graph API $name", ({ open }) => {
  it("refuses a forged or unsigned notification with 401 in under a second, calling nothing", async () => {
    const { app } = await whatsAppDuring(open);
    const before = tableCounts(app);
    const calls = requestsLeaving(server);
    const payload = textWebhook(PARENT, "hi");

    for (const signature of [signatureOf(JSON.stringify(payload), "not-the-app-secret"), null]) {
      const { ms, result } = await timed(() => post(app, payload, signature));
      expect(result?.status).toBe(401);
      expect(ms).toBeLessThan(1_000);
    }

    expect(calls).toEqual([]);
    expect(tableCounts(app)).toEqual(before);
  });

  it("answers an authentic notification in under 5 s, and sends its reply once the API is back", async () => {
    const { app, outage } = await whatsAppDuring(open);

    const { ms, result } = await timed(() => post(app, textWebhook(PARENT, "hi")));
    expect(result?.status).toBe(200);
    expect(ms).toBeLessThan(5_000);

    // The replies tried at once failed (refused, timed out or 502): kept for a retry, not dead.
    const attempt = await timed(() => app.dispatcher.settled());
    expect(attempt.ms).toBeLessThan(TEST_API_TIMEOUT_MS * 5);
    const queued = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.channel, "whatsapp-cloud"));
    // The first reply was tried; the ones behind it to the same person wait their turn.
    expect(queued.map((row) => [row.status, row.attempts])).toEqual(
      queued.map((_, index) => ["pending", index === 0 ? 1 : 0]),
    );
    expect(queued[0]?.lastError).toMatch(/^Graph API/);

    const graph = graphApi(outage.base);
    server.use(graph.handler);
    app.clock.advance(60_000);
    await app.dispatcher.dispatchDue();

    // In the order they were queued: the code, then the prompt to type it.
    expect(graph.to(PARENT).map(textOf)).toEqual([
      expect.stringMatching(/code is \d{6}/),
      expect.stringContaining("We sent a 6-digit code"),
    ]);
    const sent = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.channel, "whatsapp-cloud"));
    expect(sent.map((row) => row.status)).toEqual(queued.map(() => "sent"));
  });
});
