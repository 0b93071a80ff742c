// Turning Telegram on and off from its variables, registering the webhook at start, long polling
// without a public URL, and a self-hosted Bot API server (TELEGRAM_API_ROOT).
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestParentline, type TestParentline } from "../../support/parentline";
import {
  CHAT_ID,
  FakeBotApi,
  fixture,
  PUBLIC_BASE_URL,
  SECRET,
  TOKEN,
  textUpdate,
} from "./bot-api";
import { telegramTestbed } from "./support";

const server = setupServer();
const running: TestParentline[] = [];
const apis: FakeBotApi[] = [];
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(async () => {
  for (const api of apis.splice(0)) api.releasePolls();
  for (const app of running.splice(0)) await app.stop();
  server.resetHandlers();
});
afterAll(() => server.close());

describe("Telegram setup", () => {
  it("is off, naming the variable, without TELEGRAM_BOT_TOKEN", async () => {
    const app = await createTestParentline();
    expect(app.channelStates().telegram).toBe("off: TELEGRAM_BOT_TOKEN is not set");
    expect((await app.app.request("/webhooks/telegram", { method: "POST" })).status).toBe(404);
  });

  it("is off in webhook mode without the secret or the public URL, naming what is missing", async () => {
    const noSecret = await createTestParentline({ TELEGRAM_BOT_TOKEN: TOKEN, PUBLIC_BASE_URL });
    expect(noSecret.channelStates().telegram).toBe(
      "off: webhook mode needs TELEGRAM_WEBHOOK_SECRET (or set TELEGRAM_MODE=polling)",
    );
    const noUrl = await createTestParentline({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_MODE: "webhook",
    });
    expect(noUrl.channelStates().telegram).toBe(
      "off: webhook mode needs TELEGRAM_WEBHOOK_SECRET and PUBLIC_BASE_URL (or set TELEGRAM_MODE=polling)",
    );
  });

  it("registers the webhook with its secret at start, and a failure there is logged, not fatal", async () => {
    const bed = await telegramTestbed(server);
    running.push(bed.app);
    expect(bed.app.channelStates().telegram).toBe("webhook not registered yet");

    await bed.app.start();

    // Registration runs in the background: start does not wait for the Bot API.
    await vi.waitFor(() => expect(bed.app.channelStates().telegram).toBe("webhook registered"));
    expect(bed.api.callsOf("setWebhook")).toEqual([
      {
        url: `${PUBLIC_BASE_URL}/webhooks/telegram`,
        secret_token: SECRET,
        allowed_updates: ["message", "callback_query", "my_chat_member"],
      },
    ]);
    // getMe was done at start: handling an update needs no call of its own.
    await vi.waitFor(() => expect(bed.api.callsOf("getMe")).toHaveLength(1));
    await bed.send(textUpdate(900, "hi"));
    expect(bed.api.callsOf("getMe")).toHaveLength(1);

    const failing = await telegramTestbed(server);
    running.push(failing.app);
    failing.api.failNext("setWebhook", "error-400-bad-webhook.json");
    await expect(failing.app.start()).resolves.toBeUndefined();
    // A refused URL is not tried again: no retry mends it.
    await vi.waitFor(() =>
      expect(failing.app.channelStates().telegram).toBe("webhook registration failed"),
    );
    expect(failing.logs()).toContainEqual(
      expect.objectContaining({
        msg: "telegram webhook registration failed",
        reason: expect.stringContaining("bad webhook"),
      }),
    );
    expect(JSON.stringify(failing.logs())).not.toContain(TOKEN);
  });

  it("long-polls without a public URL: updates reach the flow, and stop confirms the offset", async () => {
    const api = new FakeBotApi();
    apis.push(api);
    const bed = await telegramTestbed(
      server,
      { TELEGRAM_WEBHOOK_SECRET: "", PUBLIC_BASE_URL: "" },
      api,
    );
    running.push(bed.app);
    expect(bed.app.channelStates().telegram).toBe("polling not started");
    expect((await bed.post(fixture("update-text.json"))).status).toBe(404);

    await bed.app.start();
    await vi.waitFor(() => expect(bed.app.channelStates().telegram).toBe("polling"));
    api.deliverByPolling(textUpdate(950, "hi"));

    await vi.waitFor(() => expect(bed.sent()).toHaveLength(1), { timeout: 5_000 });
    expect(bed.sent()[0]).toMatchObject({ chat_id: String(CHAT_ID) });
    expect(api.callsOf("deleteWebhook")).toHaveLength(1);
    expect(api.callsOf("getUpdates")[0]).toMatchObject({
      allowed_updates: ["message", "callback_query", "my_chat_member"],
    });

    running.splice(running.indexOf(bed.app), 1);
    await bed.app.stop();
    expect(bed.app.channelStates().telegram).toBe("polling stopped");
    expect(api.callsOf("getUpdates").at(-1)).toEqual({ offset: 951, limit: 1 });
  });

  it("sends through a self-hosted Bot API server when TELEGRAM_API_ROOT is set", async () => {
    const apiRoot = "https://telegram-bot-api.school.example";
    const bed = await telegramTestbed(
      server,
      { TELEGRAM_API_ROOT: apiRoot },
      new FakeBotApi(TOKEN, apiRoot),
    );

    await bed.send(textUpdate(960, "hi"));

    expect(bed.sent()).toHaveLength(1);
  });
});
