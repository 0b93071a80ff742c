// POST /webhooks/telegram while the Bot API is down in each way it can be (TELEGRAM_API_ROOT on
// 127.0.0.1): a forged update is refused at once without a call out, an authentic one is answered
// at once, and the reply it queued goes once the API is back, as do getMe and setWebhook.
import type { Update } from "grammy/types";
import { describe, expect, it, vi } from "vitest";
import { channelRegistry } from "../../../bots";
import { setUpTelegram } from "../../../bots/telegram";
import { schema } from "../../../db";
import { createTestParentline, type TestParentline } from "../../support/parentline";
import {
  OUTAGES,
  providerOutages,
  requestsLeaving,
  TEST_API_TIMEOUT_MS,
  timed,
} from "../../support/unreachable-api";
import { FakeBotApi, PUBLIC_BASE_URL, SECRET, TOKEN, textUpdate, updateFrom } from "./bot-api";

const { server, during: telegramDuring } = providerOutages((base) =>
  createTestParentline(
    {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_BASE_URL,
      TELEGRAM_API_ROOT: base,
      TELEGRAM_TIMEOUT_MS: String(TEST_API_TIMEOUT_MS),
    },
    {
      channelRegistry: {
        ...channelRegistry,
        telegram: (context) => setUpTelegram(context, { backoff: { firstMs: 20, maxMs: 100 } }),
      },
    },
  ),
);

const post = (app: TestParentline, update: Update, secret: string | null) =>
  app.app.request("/webhooks/telegram", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
    },
    body: JSON.stringify(update),
  });

const rowCounts = async (app: TestParentline) => ({
  inbound: (await app.db.select().from(schema.inboundMessages)).length,
  outbox: (await app.db.select().from(schema.outbox)).length,
  conversations: (await app.db.select().from(schema.conversations)).length,
});

describe.each(OUTAGES)("Telegram while the Bot API $name", ({ open }) => {
  it("refuses a forged or unsigned update with 401 in under a second, calling nothing", async () => {
    const { app } = await telegramDuring(open);
    const before = await rowCounts(app);
    const calls = requestsLeaving(server);

    for (const secret of ["forged-secret", null]) {
      const { ms, result } = await timed(() => post(app, textUpdate(1, "hi"), secret));
      expect(result?.status).toBe(401);
      expect(ms).toBeLessThan(1_000);
    }
    expect(calls).toEqual([]);

    // As found: the server started while the Bot API was down (getMe and setWebhook failing).
    await app.start();
    const meanwhile =
      "webhook registration failed, retrying; bot info not loaded (getMe failing, retrying)";
    await vi.waitFor(() => expect(app.channelStates().telegram).toBe(meanwhile));
    const health = (await (await app.app.request("/health")).json()) as {
      channels: Record<string, string>;
    };
    expect(health.channels.telegram).toBe(meanwhile);
    const { ms, result } = await timed(() => post(app, textUpdate(2, "hi"), "forged-secret"));
    expect(result?.status).toBe(401);
    expect(ms).toBeLessThan(1_000);
    expect(await rowCounts(app)).toEqual(before);
  });

  it("answers an authentic update in under 5 s, and sends its reply once the API is back", async () => {
    const { app, outage } = await telegramDuring(open);
    await app.start();

    const { ms, result } = await timed(() => post(app, textUpdate(10, "hi"), SECRET));
    expect(result?.status).toBe(200);
    expect(ms).toBeLessThan(5_000);
    // A button press is answered beside the update too, never before Telegram gets its 200.
    const press = updateFrom("update-callback-query.json", 11);
    const pressed = await timed(() => post(app, press, SECRET));
    expect(pressed.result?.status).toBe(200);
    expect(pressed.ms).toBeLessThan(5_000);

    // The send tried at once failed (refused, timed out or 502): kept for a retry, not dead.
    const attempt = await timed(() => app.dispatcher.settled());
    expect(attempt.ms).toBeLessThan(TEST_API_TIMEOUT_MS * 5);
    const [queued] = await app.db.select().from(schema.outbox);
    expect(queued).toMatchObject({ channel: "telegram", status: "pending", attempts: 1 });
    expect(queued?.lastError).toMatch(/^Telegram/);

    const api = new FakeBotApi(TOKEN, outage.base);
    server.use(api.handler());
    await vi.waitFor(() => expect(app.channelStates().telegram).toBe("webhook registered"));
    expect(api.callsOf("getMe")).toHaveLength(1);
    expect(api.callsOf("setWebhook")).toHaveLength(1);

    app.clock.advance(60_000);
    await vi.waitFor(async () => {
      await app.dispatcher.dispatchDue();
      const [sent] = await app.db.select().from(schema.outbox);
      expect(sent).toMatchObject({ id: queued?.id, status: "sent" });
    });
    expect(api.callsOf("sendMessage")).toEqual([
      expect.objectContaining({ text: expect.stringContaining("phone number") }),
    ]);
  });
});
