// A test Parentline with Telegram on, the fake Bot API behind msw, and helpers to post updates to
// POST /webhooks/telegram and to read what was recorded.
import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import type { SetupServer } from "msw/node";
import { schema } from "../../../db";
import type { Environment } from "../../../src/config";
import { createLogger } from "../../../src/logger";
import { codeIn, createTestParentline, type TestParentline } from "../../support/parentline";
import { FakeBotApi, PUBLIC_BASE_URL, SECRET, TOKEN } from "./bot-api";

const { outbox, inboundMessages, conversations, otpCodes, channelIdentities } = schema;

export interface TelegramTestbed {
  app: TestParentline;
  api: FakeBotApi;
  /** Posts an update with the secret header (or the given one, or none for null). */
  post(update: unknown, secret?: string | null): Promise<Response>;
  /** A second later (past the one-a-second pace per chat), posts an update and expects 200. */
  send(update: Update): Promise<void>;
  /** The sendMessage bodies so far. */
  sent(): Record<string, unknown>[];
  /** Sends what the per-chat pace held back, a second at a time (bounded). */
  flush(): Promise<void>;
  /** Parsed log lines. */
  logs(): Record<string, unknown>[];
  counts(): Promise<Record<string, number>>;
  optedOutAt(chatId: string): Promise<number | null | undefined>;
  /** The one-time code the simulated phone received, last first. */
  codeSentTo(phone: string): Promise<string>;
}

export async function telegramTestbed(
  server: SetupServer,
  env: Environment = {},
  api = new FakeBotApi(),
): Promise<TelegramTestbed> {
  server.use(api.handler());
  const lines: string[] = [];
  const logger = createLogger(
    "info",
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const app = await createTestParentline(
    {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_BASE_URL,
      ...env,
    },
    { logger },
  );
  /** Posts an update; resolves once the sends the webhook started (after answering) are over. */
  const post = async (update: unknown, secret: string | null = SECRET) => {
    const response = await app.app.request("/webhooks/telegram", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
      },
      body: typeof update === "string" ? update : JSON.stringify(update),
    });
    await app.dispatcher.settled();
    return response;
  };
  const pending = async () =>
    (await app.db.select().from(outbox).where(eq(outbox.status, "pending"))).length;
  const count = async (table: typeof outbox | typeof inboundMessages | typeof conversations) =>
    (await app.db.select().from(table)).length;

  return {
    app,
    api,
    post,
    async send(update) {
      app.clock.advance(1_000);
      const response = await post(update);
      if (response.status !== 200)
        throw new Error(`update ${update.update_id}: ${response.status} ${await response.text()}`);
    },
    sent: () => api.callsOf("sendMessage"),
    async flush() {
      for (let second = 0; second < 10; second++) {
        if ((await pending()) === 0) return;
        app.clock.advance(1_000);
        await app.dispatcher.dispatchDue();
      }
      throw new Error("outbox rows still pending after 10 seconds");
    },
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    async counts() {
      return {
        inbound: await count(inboundMessages),
        conversations: await count(conversations),
        outbox: await count(outbox),
        codes: (await app.db.select().from(otpCodes)).length,
      };
    },
    async optedOutAt(chatId) {
      const [identity] = await app.db
        .select()
        .from(channelIdentities)
        .where(eq(channelIdentities.address, chatId));
      return identity?.optedOutAt;
    },
    async codeSentTo(phone) {
      const response = await app.json(
        "GET",
        `/dev/chat/history?address=${encodeURIComponent(phone)}`,
      );
      const history = (await response.json()) as { messages: { text: string }[] };
      return codeIn(history.messages.map((message) => message.text).slice(-1));
    },
  };
}
