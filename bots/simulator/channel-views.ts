// How a reply looks on a real channel's phone, for the simulator's "Show as" choice (pure): each
// view goes through that channel's own renderer (bots/*/render.ts), so testers see what parents on
// SMS, WhatsApp or Telegram see: numbered text and segments, reply buttons or a list, keyboards.
import { forSms, type OutboundMessage, renderForChannel, smsSegments } from "../../src/contracts";
import { renderTelegramMessage } from "../telegram/render";
import { renderSessionMessage } from "../whatsapp-cloud/render";

export const RENDER_MODES = ["buttons", "sms", "whatsapp", "telegram"] as const;
export type RenderMode = (typeof RENDER_MODES)[number];

/** One message bubble as the channel shows it. */
export interface ChannelBubble {
  text: string;
  /** Buttons under the bubble, row by row (reply buttons, keyboard keys, or list rows). */
  buttons?: string[][];
  /** The button that opens a WhatsApp list (its rows are `buttons`). */
  listButton?: string;
  /** What the bubble costs as SMS. */
  segments?: number;
}

interface Reply {
  text: string;
  options?: OutboundMessage["options"];
  quoted?: string[];
  kind: string;
}

/** Twilio's limit for one SMS request; longer texts are split into several messages. */
const SMS_MAX_TEXT = 1600;

/**
 * As Twilio's SMS channel sends it: options numbered in the text, Parentline's own words in GSM-7,
 * split where SMS splits, with what each message costs in segments.
 */
function asSms(reply: Reply): ChannelBubble[] {
  const { parts } = renderForChannel(forSms(reply), {
    buttons: false,
    maxTextLength: SMS_MAX_TEXT,
  });
  return parts.map((text) => ({ text, segments: smsSegments(text) }));
}

/** As WhatsApp Cloud's free-form messages: up to 3 reply buttons, a list, or numbered text. */
function asWhatsApp(reply: Reply): ChannelBubble[] {
  return renderSessionMessage({ address: "+10000000000", ...reply }).map((request) => {
    if (request.type === "text") return { text: request.text.body };
    if (request.type !== "interactive") return { text: "" };
    const { interactive } = request;
    if (interactive.type === "button")
      return {
        text: interactive.body.text,
        buttons: [interactive.action.buttons.map((button) => button.reply.title)],
      };
    return {
      text: interactive.body.text,
      listButton: interactive.action.button,
      buttons: (interactive.action.sections[0]?.rows ?? []).map((row) => [row.title]),
    };
  });
}

/** As Telegram's sendMessage requests: an inline keyboard, or a reply keyboard to share a phone. */
function asTelegram(reply: Reply): ChannelBubble[] {
  return renderTelegramMessage(reply).map(({ text, reply_markup: markup }) => {
    const rows =
      markup && "inline_keyboard" in markup
        ? markup.inline_keyboard.map((row) => row.map((button) => button.text))
        : markup && "keyboard" in markup
          ? markup.keyboard.map((row) =>
              row.map((button) => (typeof button === "string" ? button : button.text)),
            )
          : [];
    return rows.length > 0 ? { text, buttons: rows } : { text };
  });
}

const views: Record<Exclude<RenderMode, "buttons">, (reply: Reply) => ChannelBubble[]> = {
  sms: asSms,
  whatsapp: asWhatsApp,
  telegram: asTelegram,
};

/** The reply as the chosen channel shows it; nothing for the simulator's own buttons. */
export function channelView(mode: RenderMode | undefined, reply: Reply): ChannelBubble[] | null {
  return mode && mode !== "buttons" ? views[mode](reply) : null;
}
