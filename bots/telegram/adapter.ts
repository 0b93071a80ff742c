// The Telegram channel: sends through the Bot API's sendMessage, one request per text part, and
// sendPhoto / sendDocument for attachments.
import type { Api } from "grammy";
import { type Channel, PartSender, type SendLimits } from "../../src/contracts";
import { sendErrorFrom } from "./errors";
import {
  isMediaRequest,
  renderTelegramRequests,
  TELEGRAM_MAX_TEXT,
  type TelegramRequest,
} from "./render";

export interface TelegramChannelOptions {
  api: Pick<Api, "sendMessage" | "sendPhoto" | "sendDocument">;
  /** config.channels.telegram: about 30 messages a second overall and one a second per chat. */
  limits: SendLimits;
}

/** One request through the Bot API method it names. */
function sendOne(api: TelegramChannelOptions["api"], chatId: string, request: TelegramRequest) {
  const markup = request.reply_markup ? { reply_markup: request.reply_markup } : {};
  if (!isMediaRequest(request)) return api.sendMessage(chatId, request.text, markup);
  const other = {
    ...(request.caption !== undefined ? { caption: request.caption } : {}),
    ...markup,
  };
  return request.method === "sendPhoto"
    ? api.sendPhoto(chatId, request.url, other)
    : api.sendDocument(chatId, request.url, other);
}

export function createTelegramChannel({ api, limits }: TelegramChannelOptions): Channel {
  const parts = new PartSender();
  return {
    name: "telegram",
    capabilities: {
      buttons: true,
      readReceipts: false,
      // Replies leave through the outbox at once (deliverSoon) rather than in the webhook response.
      inlineReply: false,
      // A chat id is not a phone number: one-time codes never go to a Telegram chat.
      phoneAddressed: false,
      maxTextLength: TELEGRAM_MAX_TEXT,
      carrierKeywords: false,
    },
    limits,
    // Each part of a long text (and each attachment) still to go is a message of its own.
    sendCost: (message) =>
      parts.remaining(message.outboxId, renderTelegramRequests(message).length),
    // Each of those is one Bot API call.
    requestsFor: (message) =>
      parts.remaining(message.outboxId, renderTelegramRequests(message).length),
    async send(message) {
      // Telegram has no idempotency key: a retry after a later part failed (a 429, say) resumes
      // after the parts that went.
      const lastMessageId = await parts.send(
        message.outboxId,
        renderTelegramRequests(message),
        async (request) => {
          try {
            return String((await sendOne(api, message.address, request)).message_id);
          } catch (error) {
            throw sendErrorFrom(error);
          }
        },
      );
      return { providerMessageId: `${message.address}:${lastMessageId}` };
    },
  };
}
