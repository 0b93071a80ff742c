// One chat's messages arrive in the order they were queued and each once, when the per-chat pace
// is fast enough that a webhook's own send (deliverSoon) meets rows the pace put back for later,
// and when Parentline restarts while a reply waits out Telegram's 429.
import type { Update } from "grammy/types";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import {
  CHAT_ID,
  FakeBotApi,
  PUBLIC_BASE_URL,
  SECRET,
  TOKEN,
  textUpdate,
  updateFrom,
} from "../channels/telegram/bot-api";
import { telegramTestbed } from "../channels/telegram/support";
import { DEMO, testClock } from "../support/parentline";
import { buildParentline, testDatabaseFile } from "../support/test-runtime";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const contactUpdate = (updateId: number, phone: string) =>
  updateFrom("update-contact.json", updateId, (update) => {
    if (!update.message?.contact) throw new Error("fixture has no contact");
    update.message.contact.phone_number = phone.slice(1);
    update.message.contact.user_id = CHAT_ID;
  });

describe("the order of one chat's messages", () => {
  it("sends a step's second reply, put back by the per-chat pace, before the next step's reply", async () => {
    const bed = await telegramTestbed(server, { TELEGRAM_PER_CHAT_PER_SECOND: "30" });
    await bed.send(textUpdate(100, "/start"));
    await bed.send(contactUpdate(101, DEMO.parentWithOneChild));
    // "Thanks, Michael, you're verified." and "How can I help?": the pace puts the second back.
    await bed.send(textUpdate(102, await bed.codeSentTo(DEMO.parentWithOneChild)));
    await bed.send(textUpdate(103, "New request"));
    await bed.flush();

    const texts = bed.sent().map((body) => String(body.text));
    const verified = texts.findIndex((text) => text.includes("you're verified"));
    expect(texts.slice(verified, verified + 3)).toEqual([
      expect.stringContaining("you're verified"),
      expect.stringContaining("How can I help?"),
      expect.stringContaining("What is it about?"),
    ]);
    expect(new Set(texts).size).toBe(texts.length);
  });
});

describe("the order of one chat's messages over a restart", () => {
  const file = testDatabaseFile();
  afterAll(() => file.remove());

  it("sends a reply Telegram's 429 put back before the chat's next reply, after a restart", async () => {
    const api = new FakeBotApi();
    server.use(api.handler());
    const clock = testClock();
    /** Parentline over the database file, as a process starts. */
    const start = async () => {
      const { db } = file.open();
      const parentline = await buildParentline(
        parseConfig({
          NODE_ENV: "test",
          DATABASE_PATH: "unused: the database is given",
          LOG_LEVEL: "silent",
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_WEBHOOK_SECRET: SECRET,
          PUBLIC_BASE_URL,
        }),
        { db, now: clock.now, logger: createLogger("silent") },
      );
      const post = async (update: Update) => {
        clock.advance(1_000);
        const response = await parentline.app.request("/webhooks/telegram", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": SECRET,
          },
          body: JSON.stringify(update),
        });
        expect(response.status).toBe(200);
        await parentline.dispatcher.settled();
      };
      return { parentline, post };
    };
    const texts = () => api.callsOf("sendMessage").map((body) => String(body.text));

    const before = await start();
    api.failNext("sendMessage", "error-429.json"); // "retry after 23"
    await before.post(textUpdate(100, "/start"));
    const [whoAreYou] = texts();
    expect(texts()).toHaveLength(1);
    await before.parentline.stop();

    const after = await start();
    await after.post(contactUpdate(101, DEMO.parentWithOneChild));
    // The contact's reply waits behind the question, which waits out the 429.
    expect(texts()).toEqual([whoAreYou]);

    clock.advance(23_000);
    for (let second = 0; second < 5; second++) {
      await after.parentline.dispatcher.dispatchDue();
      clock.advance(1_000);
    }
    const [, ...delivered] = texts();
    expect(delivered).toEqual([whoAreYou, expect.stringContaining("We sent a 6-digit code")]);
    await after.parentline.stop();
  });
});
