// What the bot does with each update, whether it came by webhook or by long polling: answer button
// presses, hand messages to the inbound road and send its replies at once, record blocks and
// acknowledged announcements. No Bot API call is awaited here: Telegram gets its answer whatever
// the Bot API is doing.
import type { Context } from "grammy";
import type { ChannelContext, InboundRoadHandle } from "../../src/contracts";
import { describeTelegramError } from "./errors";
import { parseTelegramUpdate } from "./parse";

export interface TelegramUpdateHandlerOptions {
  road: InboundRoadHandle;
  log: ChannelContext["log"];
  defaultCountry: string;
  now: () => number;
  /** Runs a Bot API call nobody waits for (the channel's stop does): a silent API holds no update. */
  aside: (call: Promise<unknown>) => void;
}

/** "5123456789" → "•••6789": enough to follow one chat through the logs. */
export const maskChatId = (chatId: string) => `•••${chatId.slice(-4)}`;

/** Said (outside any conversation) to someone who shared another person's contact card. */
function foreignContactReply(languageCode: string | undefined): string {
  return languageCode?.startsWith("es")
    ? "Por su seguridad solo podemos aceptar su propio número. Use el botón «Compartir mi número» o escriba el número que la escuela tiene registrado."
    : 'For your security we can only accept your own number. Please use the "Share my phone number" button, or type the number the school has on file for you.';
}

export function telegramUpdateHandler({
  road,
  log,
  defaultCountry,
  now,
  aside,
}: TelegramUpdateHandlerOptions) {
  return async (ctx: Context): Promise<void> => {
    const update = ctx.update;
    const updateId = update.update_id;
    const parsed = parseTelegramUpdate(update, { defaultCountry, now: now() });
    if (update.callback_query) {
      // Always answered, even when ignored, or the button keeps spinning on the person's phone.
      const answer = parsed.kind === "acknowledged" ? { text: "Thank you, noted as read." } : {};
      aside(
        ctx.answerCallbackQuery(answer).catch((error: unknown) => {
          log.warn(
            { reason: describeTelegramError(error), updateId },
            "telegram callback query not answered",
          );
        }),
      );
    }
    switch (parsed.kind) {
      case "ignored":
        log.info({ updateId, reason: parsed.reason }, "telegram update ignored");
        return;
      case "opt_out":
        await road.setOptedOut(
          { channel: "telegram", address: parsed.chatId },
          parsed.optedOut,
          parsed.optedOut ? "blocked the bot" : "unblocked the bot",
        );
        return;
      case "acknowledged":
        // Only a message we sent to this very chat matches: the id is "<chat>:<message>".
        await road.recordReceipt({
          channel: "telegram",
          providerMessageId: parsed.providerMessageId,
          status: "read",
        });
        return;
      case "foreign_contact":
        log.info({ updateId, chat: maskChatId(parsed.chatId) }, "telegram contact of someone else");
        // Not a conversation step (nothing about it is recorded), so the refusal goes straight
        // out; a failed send is logged rather than made a reason for Telegram to redeliver.
        aside(
          ctx.api
            .sendMessage(parsed.chatId, foreignContactReply(parsed.languageCode))
            .catch((error: unknown) => {
              log.warn(
                { reason: describeTelegramError(error), updateId },
                "telegram refusal not sent",
              );
            }),
        );
        return;
      case "message": {
        const outcome = await road.receive(parsed.message);
        if (!outcome.accepted) {
          log.info({ updateId }, "telegram update already handled");
          return;
        }
        // Sent while Telegram gets its 200: the update is handled once the step has committed.
        road.deliverSoon(outcome.outboxIds);
      }
    }
  };
}
