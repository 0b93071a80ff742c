// Telegram updates → what Parentline does with them (pure): a message for the inbound road, an
// opt-out change (the person blocked or unblocked the bot), a contact card to refuse, an
// announcement acknowledged, or a reason to ignore the update. https://core.telegram.org/bots/api#update
import type { Message, Update } from "grammy/types";
import { type InboundMessage, normalizePhone } from "../../src/contracts";
import { ACKNOWLEDGE_DATA } from "./render";

export type TelegramInbound =
  | { kind: "message"; message: InboundMessage }
  /** Someone shared a contact card that is not their own: it must not verify them as its owner. */
  | { kind: "foreign_contact"; chatId: string; languageCode?: string }
  | { kind: "opt_out"; chatId: string; optedOut: boolean }
  /** The parent pressed "Got it" under an announcement: the message, as send() named it, was read. */
  | { kind: "acknowledged"; providerMessageId: string }
  | { kind: "ignored"; reason: string };

export interface ParseOptions {
  defaultCountry: string;
  now: number;
}

/** A JSON body is an update when it is an object with a whole-number update_id. */
export function isTelegramUpdate(body: unknown): body is Update {
  return (
    typeof body === "object" &&
    body !== null &&
    !Array.isArray(body) &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id)
  );
}

/** The dedupe key: Telegram numbers every update to a bot, and redelivers the same number. */
export const providerMessageIdOf = (update: Update) => `update:${update.update_id}`;

/**
 * A shared contact's phone_number. Its format is not documented: clients send it with or without
 * the leading "+", but always with the country code, so a bare number is read as international
 * (DEFAULT_COUNTRY must not turn "447911123456" into a US number).
 */
export function contactPhone(raw: string, defaultCountry: string): string | null {
  const compact = raw.trim().replace(/[\s().-]/g, "");
  return normalizePhone(compact.startsWith("+") ? compact : `+${compact}`, defaultCountry);
}

/**
 * A command as the flows read it: "/start", "/start@acme_bot" and "/start payload" → "start" (the
 * word a parent's chat opens with); any other command keeps its slash and arguments, without the
 * "@bot" Telegram adds in menus ("/note@acme_bot T-1001 Called" → "/note T-1001 Called").
 */
export function commandWord(text: string): string {
  const command = text.trim().match(/^\/([A-Za-z0-9_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/);
  if (!command?.[1]) return text;
  const word = command[1].toLowerCase();
  if (word === "start") return word;
  return command[2] ? `/${word} ${command[2]}` : `/${word}`;
}

const ignore = (reason: string): TelegramInbound => ({ kind: "ignored", reason });

/** What kind of message carried no text, for the log line ("sticker", "photo"). */
function contentOf(message: Message): string {
  const known = ["sticker", "photo", "voice", "video", "document", "audio", "location", "poll"];
  return known.find((key) => key in message) ?? "no text";
}

function parseMessage(update: Update, message: Message, options: ParseOptions): TelegramInbound {
  if (message.chat.type !== "private") return ignore(`message in a ${message.chat.type} chat`);
  const from = message.from;
  if (!from || from.is_bot) return ignore("message from a bot");
  const chatId = String(message.chat.id);
  const base = {
    channel: "telegram" as const,
    address: chatId,
    providerMessageId: providerMessageIdOf(update),
    receivedAt: options.now,
  };
  if (message.contact) {
    // A "Share my phone number" button sends the sender's own card (user_id == from.id); a
    // forwarded or picked card of someone else must not stand for them.
    if (message.contact.user_id !== from.id) {
      return {
        kind: "foreign_contact",
        chatId,
        ...(from.language_code ? { languageCode: from.language_code } : {}),
      };
    }
    const phone = contactPhone(message.contact.phone_number, options.defaultCountry);
    if (!phone) return ignore("shared contact without a usable phone number");
    // The phone is also the text: a conversation asking for the number reads it as typed.
    return { kind: "message", message: { ...base, text: phone, contact: { phone } } };
  }
  if (typeof message.text !== "string") return ignore(`message with ${contentOf(message)}`);
  // The same "<chat>:<message>" id the adapter recorded when it sent the message replied to.
  const replied = message.reply_to_message;
  return {
    kind: "message",
    message: {
      ...base,
      text: commandWord(message.text),
      ...(replied ? { replyTo: `${chatId}:${replied.message_id}` } : {}),
    },
  };
}

function parseCallbackQuery(
  update: Update,
  query: NonNullable<Update["callback_query"]>,
  options: ParseOptions,
): TelegramInbound {
  // Buttons on inline-mode messages have no chat; game buttons carry no data.
  const chat = query.message?.chat;
  if (!chat) return ignore("button press without a chat");
  if (chat.type !== "private") return ignore(`button press in a ${chat.type} chat`);
  if (query.from.is_bot) return ignore("button press from a bot");
  if (typeof query.data !== "string" || query.data === "")
    return ignore("button press without data");
  if (query.data === ACKNOWLEDGE_DATA && query.message) {
    // The same "<chat>:<message>" id the adapter recorded when it sent the announcement.
    return { kind: "acknowledged", providerMessageId: `${chat.id}:${query.message.message_id}` };
  }
  return {
    kind: "message",
    message: {
      channel: "telegram",
      address: String(chat.id),
      providerMessageId: providerMessageIdOf(update),
      // The button's callback_data is the option's id (render.ts), which the flows match.
      text: query.data,
      receivedAt: options.now,
    },
  };
}

function parseMyChatMember(member: NonNullable<Update["my_chat_member"]>): TelegramInbound {
  if (member.chat.type !== "private") return ignore(`membership change in a ${member.chat.type}`);
  const chatId = String(member.chat.id);
  // In a private chat "kicked" is the person blocking the bot and "member" unblocking it.
  if (member.new_chat_member.status === "kicked")
    return { kind: "opt_out", chatId, optedOut: true };
  if (member.new_chat_member.status === "member")
    return { kind: "opt_out", chatId, optedOut: false };
  return ignore(`membership change to ${member.new_chat_member.status}`);
}

export function parseTelegramUpdate(update: Update, options: ParseOptions): TelegramInbound {
  if (update.message) return parseMessage(update, update.message, options);
  if (update.callback_query) return parseCallbackQuery(update, update.callback_query, options);
  if (update.my_chat_member) return parseMyChatMember(update.my_chat_member);
  const type = Object.keys(update).find((key) => key !== "update_id") ?? "empty";
  return ignore(`${type} update`);
}
