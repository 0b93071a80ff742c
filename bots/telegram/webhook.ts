// POST /webhooks/telegram: grammY's webhookCallback checks X-Telegram-Bot-Api-Secret-Token against
// TELEGRAM_WEBHOOK_SECRET (constant time) before the body is read, then runs the bot's middleware.
// The adapter is grammY's "hono" one with two differences: the body must be an update (400
// otherwise) and refusals carry the app's error envelope. https://grammy.dev/guide/deployment-types
import { type Bot, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { type Context, Hono } from "hono";
import { ApiError, type AppEnv } from "../../src/contracts";
import { isTelegramUpdate } from "./parse";

const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

class MalformedUpdate extends Error {}

async function readUpdate(c: Context<AppEnv>): Promise<Update> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new MalformedUpdate("The body is not valid JSON");
  }
  if (!isTelegramUpdate(body)) throw new MalformedUpdate("The body is not a Telegram update");
  return body;
}

/** grammY's ReqResHandler over a Hono context (see grammy/out/convenience/frameworks.js `hono`). */
function honoUpdateAdapter(c: Context<AppEnv>) {
  let settle: (response: Response) => void = () => {};
  const handlerReturn = new Promise<Response>((resolve) => {
    settle = resolve;
  });
  return {
    get update() {
      return readUpdate(c);
    },
    header: c.req.header(SECRET_HEADER),
    end: () => settle(c.body(null, 200)),
    respond: (json: string) =>
      settle(c.body(json, 200, { "content-type": "application/json; charset=utf-8" })),
    unauthorized: () =>
      settle(
        c.json(
          { error: { code: "unauthorized", message: "The Telegram secret token is wrong" } },
          401,
        ),
      ),
    handlerReturn,
  };
}

export interface TelegramRoutesOptions {
  bot: Bot;
  secretToken: string;
}

export function telegramRoutes({ bot, secretToken }: TelegramRoutesOptions) {
  const handleUpdate = webhookCallback(bot, honoUpdateAdapter, { secretToken });
  return new Hono<AppEnv>().post("/", async (c) => {
    try {
      return await handleUpdate(c);
    } catch (error) {
      if (error instanceof MalformedUpdate) throw new ApiError(400, "bad_request", error.message);
      throw error; // the road failed: a 500 makes Telegram deliver the update again
    }
  });
}
