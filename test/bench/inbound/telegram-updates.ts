// Signed Telegram updates for the inbound benches: each a new chat's "hi", so every request is a
// conversation's first step (dedupe, a new snapshot, an outbox row).
import type { RequestFactory } from "./load";

export const TELEGRAM = { token: "123456:BENCH-token", secret: "bench-webhook-secret" };

/** Chat ids no demo guardian has. */
const telegramChat = (n: number) => 800_000_000 + n;

/** Updates for the webhook under `base` (`…/webhooks/telegram`). */
export function telegramRequest(base: string): RequestFactory {
  return (n) => {
    const chat = telegramChat(n);
    const update = {
      update_id: 100_000_000 + n,
      message: {
        message_id: 1,
        from: { id: chat, is_bot: false, first_name: "Bench", language_code: "en" },
        chat: { id: chat, first_name: "Bench", type: "private" },
        date: Math.floor(Date.now() / 1000),
        text: "hi",
      },
    };
    return {
      url: `${base}/webhooks/telegram`,
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": TELEGRAM.secret,
      },
      body: JSON.stringify(update),
    };
  };
}
