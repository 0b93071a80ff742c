// OutboundMessage → Bot API requests (pure): plain text split at Telegram's 4096 characters,
// options as an inline keyboard, a phone request as a one-time "share my contact" keyboard, and an
// attachment as sendPhoto / sendDocument with the text as its caption when the text fits one.
// https://core.telegram.org/bots/api#sendmessage https://core.telegram.org/bots/api#senddocument
import type {
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  KeyboardButton,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
} from "grammy/types";
import {
  isImageAttachment,
  type OutboundMessage,
  type ReplyOption,
  renderForChannel,
} from "../../src/contracts";

/** sendMessage's text limit, in characters after entity parsing (we send plain text). */
export const TELEGRAM_MAX_TEXT = 4096;
/** sendPhoto's and sendDocument's caption limit (0-1024 characters after entity parsing). */
export const TELEGRAM_MAX_CAPTION = 1024;
/** callback_data may be 1–64 bytes. https://core.telegram.org/bots/api#inlinekeyboardbutton */
export const CALLBACK_DATA_MAX_BYTES = 64;
/**
 * The callback_data of the button under an announcement: pressing it tells the school the parent
 * has read it (Telegram has no read receipts of its own). Not an option id any flow uses.
 */
export const ACKNOWLEDGE_DATA = "parentline:ack";
/** Read the same in every language the parent may use: the renderer does not know which. */
export const ACKNOWLEDGE_LABEL = "✓ OK";
const acknowledgeKeyboard: InlineKeyboardMarkup = {
  inline_keyboard: [[{ text: ACKNOWLEDGE_LABEL, callback_data: ACKNOWLEDGE_DATA }]],
};

/** Options this short ("1" … "5" of a rating) share a row; longer ones get a row each. */
const SHORT_LABEL = 4;
const SHORT_PER_ROW = 5;

export type TelegramReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

export interface TelegramSendRequest {
  text: string;
  reply_markup?: TelegramReplyMarkup;
}

/**
 * A photo (image/* content types) or any other file, by the URL Telegram fetches it from: the
 * first argument of sendPhoto / sendDocument, with an optional caption.
 */
export interface TelegramMediaRequest {
  method: "sendPhoto" | "sendDocument";
  url: string;
  caption?: string;
  reply_markup?: TelegramReplyMarkup;
}

export type TelegramRequest = TelegramSendRequest | TelegramMediaRequest;

export const isMediaRequest = (request: TelegramRequest): request is TelegramMediaRequest =>
  "method" in request;

/**
 * What pressing the button sends back: the option's id, which the flows match; an id too long for
 * callback_data falls back to the option's number, which the flows match as well ("2").
 */
export function callbackDataFor(option: ReplyOption, index: number): string {
  return new TextEncoder().encode(option.id).length <= CALLBACK_DATA_MAX_BYTES
    ? option.id
    : String(index + 1);
}

/** Puts runs of short options on one row, every other option on a row of its own. */
function rowsOf<T>(options: readonly ReplyOption[], button: (o: ReplyOption, i: number) => T) {
  const rows: T[][] = [];
  let shortRow: T[] | null = null;
  options.forEach((option, index) => {
    const isShort = option.label.length <= SHORT_LABEL;
    if (isShort && shortRow && shortRow.length < SHORT_PER_ROW) {
      shortRow.push(button(option, index));
      return;
    }
    const row = [button(option, index)];
    rows.push(row);
    shortRow = isShort ? row : null;
  });
  return rows;
}

export function inlineKeyboardFor(options: readonly ReplyOption[]): InlineKeyboardMarkup {
  return {
    inline_keyboard: rowsOf<InlineKeyboardButton>(options, (option, index) => ({
      text: option.label,
      callback_data: callbackDataFor(option, index),
    })),
  };
}

/**
 * Telegram can only ask for the person's number with a reply-keyboard button (request_contact);
 * the other options ride on the same keyboard and, pressed, send their label, which the flows match.
 */
export function contactKeyboardFor(options: readonly ReplyOption[]): ReplyKeyboardMarkup {
  return {
    keyboard: rowsOf<KeyboardButton>(options, (option) =>
      option.request === "phone"
        ? { text: option.label, request_contact: true }
        : { text: option.label },
    ),
    one_time_keyboard: true,
    resize_keyboard: true,
  };
}

/**
 * A message without buttons takes down any contact keyboard still showing, so a "Share my phone
 * number" button does not linger once the phone step is over (harmless when none is showing).
 */
const removeKeyboard: ReplyKeyboardRemove = { remove_keyboard: true };

/** The markup under a message's last part: its options, "Got it" for an announcement, or none. */
function keyboardOf(
  message: Partial<Pick<OutboundMessage, "kind">>,
  buttons: readonly ReplyOption[],
): TelegramReplyMarkup {
  if (buttons.length === 0)
    return message.kind === "announcement" ? acknowledgeKeyboard : removeKeyboard;
  return buttons.some((option) => option.request === "phone")
    ? contactKeyboardFor(buttons)
    : inlineKeyboardFor(buttons);
}

type RenderableMessage = Pick<OutboundMessage, "text" | "options"> &
  Partial<Pick<OutboundMessage, "kind" | "media">>;

/** The text as sendMessage requests, the keyboard under the last part. */
export function renderTelegramMessage(message: RenderableMessage): TelegramSendRequest[] {
  const rendered = renderForChannel(message, { buttons: true, maxTextLength: TELEGRAM_MAX_TEXT });
  const keyboard = keyboardOf(message, rendered.buttons ?? []);
  const last = rendered.parts.length - 1;
  return rendered.parts.map((text, index) => ({
    text,
    reply_markup: index === last ? keyboard : removeKeyboard,
  }));
}

/**
 * Every request one message takes, media included: the text as the first file's caption when it
 * is one part that fits a caption, otherwise the text first and then the files. Either way the
 * keyboard ("Got it", options) stays under the last message.
 */
export function renderTelegramRequests(message: RenderableMessage): TelegramRequest[] {
  const texts = renderTelegramMessage(message);
  const media = message.media ?? [];
  if (media.length === 0) return texts;
  const keyboard = texts.at(-1)?.reply_markup ?? removeKeyboard;
  const [only] = texts;
  const caption =
    texts.length === 1 && only && only.text.length <= TELEGRAM_MAX_CAPTION ? only.text : undefined;
  const files = media.map(
    (item, index): TelegramMediaRequest => ({
      method: isImageAttachment(item) ? "sendPhoto" : "sendDocument",
      url: item.url,
      ...(index === 0 && caption !== undefined ? { caption } : {}),
      reply_markup: index === media.length - 1 ? keyboard : removeKeyboard,
    }),
  );
  if (caption !== undefined) return files;
  return [...texts.map((text) => ({ ...text, reply_markup: removeKeyboard })), ...files];
}
