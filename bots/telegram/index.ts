// The Telegram channel (grammY): webhook or long polling in, sendMessage (and sendPhoto /
// sendDocument for attachments) out.
export { createTelegramChannel } from "./adapter";
export { ALLOWED_UPDATES, createTelegramBot, registerWebhook } from "./client";
export { describeTelegramError, sendErrorFrom } from "./errors";
export { telegramUpdateHandler } from "./inbound";
export { contactPhone, parseTelegramUpdate, type TelegramInbound } from "./parse";
export {
  renderTelegramMessage,
  renderTelegramRequests,
  type TelegramRequest,
  type TelegramSendRequest,
} from "./render";
export { setUpTelegram, TELEGRAM_WEBHOOK_PATH, telegramFactory } from "./setup";
export { telegramRoutes } from "./webhook";
