// SMS costs by encoding: one character outside GSM-7 makes the whole message UCS-2 (70 characters
// a segment instead of 160). Texts Parentline writes are rendered in GSM-7 on SMS; a parent's or a
// teacher's own words (staff replies, announcements, and words a reply quotes) are sent as written.
import type { OutboundMessage, ReplyOption } from "./messages";
import { withNumberedOptions } from "./render";

// GSM 03.38: the default alphabet (one septet each) and its extension table (two septets each,
// an escape and the character). Anything else makes the whole message UCS-2.
// https://www.twilio.com/docs/glossary/what-is-gsm-7-character-encoding
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const GSM_EXTENSION = new Set("^{}\\[~]|€\f");

/** GSM-7 stand-ins for what Parentline's own texts use outside the alphabet (as Twilio's Smart Encoding does). */
const GSM_STAND_INS: Record<string, string> = {
  "•": "*",
  "·": "-",
  "…": "...",
  "‘": "'",
  "’": "'",
  "“": '"',
  "”": '"',
  "–": "-",
  "—": "-",
  "\u00a0": " ",
  á: "a",
  í: "i",
  ó: "o",
  ú: "u",
  Á: "A",
  Í: "I",
  Ó: "O",
  Ú: "U",
  ê: "e",
  ç: "c",
};

/** The text with every character that has a GSM-7 stand-in replaced by it. */
export function toGsm7(text: string): string {
  let out = "";
  for (const char of text) out += GSM_STAND_INS[char] ?? char;
  return out;
}

/**
 * The text in GSM-7 except where it quotes someone's words (each quoted text where it first
 * occurs after the previous one, in order): those stay as written.
 */
export function toGsm7Around(text: string, quoted: readonly string[] = []): string {
  let out = "";
  let from = 0;
  for (const words of quoted) {
    const at = words ? text.indexOf(words, from) : -1;
    if (at < 0) continue;
    out += toGsm7(text.slice(from, at)) + words;
    from = at + words.length;
  }
  return out + toGsm7(text.slice(from));
}

/** Septets in GSM-7, or null when the text needs UCS-2. */
function gsmSeptets(text: string): number | null {
  let septets = 0;
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets += 1;
    else if (GSM_EXTENSION.has(char)) septets += 2;
    else return null;
  }
  return septets;
}

/** Whether the text goes as GSM-7 (every character in the alphabet or its extension). */
export const isGsm7 = (text: string): boolean => gsmSeptets(text) !== null;

/**
 * How many SMS segments a text costs: GSM-7 fits 160 characters in one segment and 153 in each of
 * several (the rest carries the concatenation header); UCS-2 fits 70, or 67 each.
 * https://www.twilio.com/docs/glossary/what-sms-character-limit
 */
export function smsSegments(text: string): number {
  const septets = gsmSeptets(text);
  const [units, single, multi] = septets === null ? [text.length, 70, 67] : [septets, 160, 153];
  return units <= single ? 1 : Math.ceil(units / multi);
}

/** Kinds whose text Parentline writes, but for the words it quotes (`quoted`), left as written. */
const OWN_KINDS = new Set(["reply", "otp", "opt_out", "alert", "school_event"]);

/** A staff reply's prefix ("T-1001 · Ms Rao: "): ours, the words after it the teacher's. */
const STAFF_REPLY_PREFIX = /^(T-\d+) · ([^:\n]*): /;

/** A message as SMS sends it: Parentline's own text and option labels in GSM-7. */
export function forSms<M extends Pick<OutboundMessage, "kind" | "text" | "options" | "quoted">>(
  message: M,
): M {
  if (OWN_KINDS.has(message.kind)) {
    const options = message.options?.map(
      (option): ReplyOption => ({ ...option, label: toGsm7(option.label) }),
    );
    const text = toGsm7Around(message.text, message.quoted);
    return { ...message, text, ...(options ? { options } : {}) };
  }
  if (message.kind === "staff_reply")
    return { ...message, text: message.text.replace(STAFF_REPLY_PREFIX, "$1 - $2: ") };
  return message;
}

/** The segments one SMS row costs as sent: its text in SMS form, options numbered. */
export function smsSegmentsOf(
  message: Pick<OutboundMessage, "kind" | "text" | "options" | "quoted">,
): number {
  const sms = forSms(message);
  return smsSegments(withNumberedOptions(sms.text, sms.options ?? []));
}
