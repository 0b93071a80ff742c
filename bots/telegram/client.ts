// The Telegram client: one grammY Bot per process (its Api sends; its middleware takes updates from
// the webhook or from long polling). The only module that talks to the Bot API.
import { Bot } from "grammy";

/** The updates Parentline handles; setWebhook and getUpdates are told so Telegram sends no others. */
export const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

export interface TelegramClientOptions {
  token: string;
  /** A self-hosted Bot API server (TELEGRAM_API_ROOT); https://api.telegram.org otherwise. */
  apiRoot?: string;
}

export function createTelegramBot({ token, apiRoot }: TelegramClientOptions): Bot {
  return new Bot(token, {
    // Long polling holds getUpdates open for 30 s; anything slower than a minute is a dead request.
    client: { timeoutSeconds: 60, ...(apiRoot ? { apiRoot } : {}) },
  });
}

/**
 * Learns who the bot is (getMe, once, no retries: start must not hang on a dead network) so
 * webhook handling needs no call of its own, then points Telegram at our webhook with the secret.
 */
export async function registerWebhook(bot: Bot, url: string, secretToken: string): Promise<void> {
  if (!bot.isInited()) bot.botInfo = await bot.api.getMe();
  await bot.api.setWebhook(url, {
    secret_token: secretToken,
    allowed_updates: [...ALLOWED_UPDATES],
  });
}
