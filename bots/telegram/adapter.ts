// The Telegram channel: sends through the Bot API's sendMessage, one request per text part.
import type { Api } from "grammy";
import type { Channel, SendLimits } from "../../src/contracts";
import { sendErrorFrom } from "./errors";
import { renderTelegramMessage, TELEGRAM_MAX_TEXT } from "./render";

export interface TelegramChannelOptions {
  api: Pick<Api, "sendMessage">;
  /** config.channels.telegram: about 30 messages a second overall and one a second per chat. */
  limits: SendLimits;
}

export function createTelegramChannel({ api, limits }: TelegramChannelOptions): Channel {
  return {
    name: "telegram",
    capabilities: {
      buttons: true,
      readReceipts: false,
      // Replies leave through the outbox at once (deliverNow) rather than in the webhook response.
      inlineReply: false,
      // A chat id is not a phone number: one-time codes never go to a Telegram chat.
      phoneAddressed: false,
      maxTextLength: TELEGRAM_MAX_TEXT,
      carrierKeywords: false,
    },
    limits,
    async send(message) {
      // Telegram has no idempotency key: a part that went out before a later part failed goes
      // again on the retry (the window the outbox accepts).
      let lastMessageId: number | undefined;
      for (const request of renderTelegramMessage(message)) {
        try {
          const sent = await api.sendMessage(
            message.address,
            request.text,
            request.reply_markup ? { reply_markup: request.reply_markup } : {},
          );
          lastMessageId = sent.message_id;
        } catch (error) {
          throw sendErrorFrom(error);
        }
      }
      return { providerMessageId: `${message.address}:${lastMessageId}` };
    },
  };
}
