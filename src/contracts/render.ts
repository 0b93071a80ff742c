// Rendering every channel shares: options as numbered lines where a channel has no buttons, and
// long texts split at the channel's limit on sentence boundaries. Channels format the rest.
import type { ChannelCapabilities } from "./channel";
import type { Attachment, OutboundMessage, ReplyOption } from "./messages";

/** "Pick one:\n\n1. Mia\n2. Noah": how options read on a channel without buttons. */
export function withNumberedOptions(text: string, options: readonly ReplyOption[]): string {
  if (options.length === 0) return text;
  const lines = options.map((option, index) => `${index + 1}. ${option.label}`);
  return `${text}\n\n${lines.join("\n")}`;
}

/**
 * Where a text may be cut, best first: after a sentence's end (not the "." of a numbered line's
 * "2. Noah", which ends no sentence), at a line break, at a space.
 */
const BOUNDARIES = [/(?<!(?:^|\n)\d+)[.!?…]["')\]]?\s+/g, /\n+/g, /\s+/g];

/** Cuts `text` after the last sentence end, line break or space that fits in `max` characters. */
function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  for (const boundary of BOUNDARIES) {
    let best = -1;
    for (const match of window.matchAll(boundary)) {
      const end = match.index + match[0].length;
      if (end <= max && match.index > 0) best = end;
    }
    if (best > 0) return best;
  }
  return max; // one unbroken word longer than the limit
}

/** Splits a text into parts of at most `max` characters, preferring sentence boundaries. */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** One message as a channel will send it: the text parts, and the buttons for the last part. */
export interface RenderedMessage {
  parts: string[];
  /** The options as buttons; absent where the channel numbers them in the text. */
  buttons?: ReplyOption[];
}

export function renderForChannel(
  message: Pick<OutboundMessage, "text" | "options">,
  capabilities: Pick<ChannelCapabilities, "buttons" | "maxTextLength">,
): RenderedMessage {
  const options = message.options ?? [];
  const asButtons = capabilities.buttons && options.length > 0;
  const text = asButtons ? message.text : withNumberedOptions(message.text, options);
  return {
    parts: splitText(text, capabilities.maxTextLength),
    ...(asButtons ? { buttons: options } : {}),
  };
}

/** Whether an attachment is a picture: sent as a photo where a channel tells photos from documents. */
export function isImageAttachment(attachment: Attachment): boolean {
  return attachment.contentType?.toLowerCase().startsWith("image/") ?? false;
}

/** The text with each attachment's link on its own line: how a text-only channel carries media. */
export function textWithLinks(text: string, media: readonly Attachment[] | undefined): string {
  if (!media?.length) return text;
  return [text, ...media.map((item) => item.url)].join("\n");
}
