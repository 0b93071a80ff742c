// POST /webhooks/twilio while Twilio's API is down in each way it can be (TWILIO_API_BASE on
// 127.0.0.1): a forged or unsigned webhook is refused at once without a call out, an authentic one
// is answered at once (its reply inline in TwiML), and the one-time code it queued for SMS goes
// once the API is back.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../../db";
import { createTestParentline, DEMO } from "../../support/parentline";
import {
  OUTAGES,
  providerOutages,
  requestsLeaving,
  TEST_API_TIMEOUT_MS,
  timed,
} from "../../support/unreachable-api";
import {
  FakeTwilioMessages,
  inboundWhatsApp,
  postTwilio,
  TWILIO_ENV,
  tableCounts,
  twimlMessages,
} from "./support";

const PARENT = DEMO.parentWithOneChild;
const { server, during: twilioDuring } = providerOutages((base) =>
  createTestParentline({
    ...TWILIO_ENV,
    TWILIO_API_BASE: base,
    TWILIO_TIMEOUT_MS: String(TEST_API_TIMEOUT_MS),
  }),
);

describe.each(OUTAGES)("Twilio while its API $name", ({ open }) => {
  it("refuses a forged or unsigned webhook with 403 in under a second, calling nothing", async () => {
    const { app } = await twilioDuring(open);
    const before = await tableCounts(app.db);
    const calls = requestsLeaving(server);

    for (const signature of ["Zm9yZ2VkIHNpZ25hdHVyZQ==", null]) {
      const { ms, result } = await timed(() =>
        postTwilio(app, "/webhooks/twilio", inboundWhatsApp(PARENT, "hi"), { signature }),
      );
      expect(result?.status).toBe(403);
      expect(ms).toBeLessThan(1_000);
    }

    expect(calls).toEqual([]);
    expect(await tableCounts(app.db)).toEqual(before);
  });

  it("answers an authentic message in under 5 s, and sends the code it queued once the API is back", async () => {
    const { app, outage } = await twilioDuring(open);

    const { ms, result } = await timed(() =>
      postTwilio(app, "/webhooks/twilio", inboundWhatsApp(PARENT, "hi")),
    );
    expect(result?.status).toBe(200);
    expect(ms).toBeLessThan(5_000);
    expect(twimlMessages(String(await result?.text()))).toEqual([
      { body: expect.stringContaining("We sent a 6-digit code"), action: expect.any(String) },
    ]);

    // The code goes by SMS through the API: refused, timed out or 502, it is kept for a retry.
    const attempt = await timed(() => app.dispatcher.dispatchDue());
    expect(attempt.ms).toBeLessThan(TEST_API_TIMEOUT_MS * 5);
    const [code] = await app.db.select().from(schema.outbox).where(eq(schema.outbox.kind, "otp"));
    expect(code).toMatchObject({ channel: "sms", address: PARENT, status: "pending", attempts: 1 });
    expect(code?.lastError).toMatch(/^Twilio/);

    const twilio = new FakeTwilioMessages(outage.base);
    server.use(twilio.handler);
    app.clock.advance(60_000);
    await app.dispatcher.dispatchDue();

    expect(twilio.to(PARENT)).toEqual([
      expect.objectContaining({ body: expect.stringMatching(/code is \d{6}/) }),
    ]);
    const [sent] = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.id, code?.id ?? 0));
    expect(sent?.status).toBe("sent");
  });
});
