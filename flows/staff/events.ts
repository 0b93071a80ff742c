// Turns what staff wrote into the machine's event: commands work at any step.
import type { AttachmentLink, StaffEvent } from "./staff.types";

const menuWords = new Set(["menu", "/menu", "/staff", "start"]);
const cancelWords = new Set(["cancel", "/cancel"]);
const helpWords = new Set(["help", "/help", "?"]);

/**
 * A message that belongs to the staff conversation even when the address is talking to the parent
 * one. Telegram's /start is not among them: parents' chats open with it.
 */
export function isStaffCommand(text: string): boolean {
  return /^\/(staff|announce|announcements|stats)(\s|:|$)/i.test(text.trim());
}

/** "skip", "no", "none": the guided /announce goes on without an attachment. */
const skipWords = new Set(["skip", "no", "none", "no attachment"]);

export const isSkip = (text: string) => skipWords.has(text.trim().toLowerCase());

/**
 * The attachment a message offers: a file it carried (a Twilio MMS picture), or a link typed as the
 * whole message. The rule mirrors src/domain/attachment.ts (https, a public host, ≤ 2048
 * characters), which the announcement service applies again: flows/ can't import it.
 */
export function attachmentFrom(message: {
  text: string;
  media?: AttachmentLink[];
}): AttachmentLink | null {
  const [file] = message.media ?? [];
  if (file) return file;
  const text = message.text.trim();
  if (text.length > 2048 || /\s/.test(text)) return null;
  try {
    const url = new URL(text);
    return url.protocol === "https:" && url.hostname.includes(".") ? { url: text } : null;
  } catch {
    return null;
  }
}

export function staffEventFrom(message: {
  text: string;
  sharedPhone?: string;
  media?: AttachmentLink[];
}): StaffEvent {
  const text = message.text.trim();
  const word = text.toLowerCase();
  if (menuWords.has(word)) return { type: "command.menu" };
  if (cancelWords.has(word)) return { type: "command.menu", cancel: true };
  if (helpWords.has(word)) return { type: "command.help" };
  if (word === "/parent") return { type: "command.parent" };
  if (/^\/announce(\s|:|$)/i.test(text)) return { type: "command.announce", text };
  if (/^\/announcements$/i.test(text)) return { type: "command.announcements" };
  const stats = text.match(/^\/stats(?:\s+#?(.*))?$/i);
  if (stats) return { type: "command.stats", id: (stats[1] ?? "").trim() };
  return {
    type: "message",
    text: message.text,
    ...(message.sharedPhone ? { sharedPhone: message.sharedPhone } : {}),
    ...(message.media?.length ? { media: message.media } : {}),
  };
}
