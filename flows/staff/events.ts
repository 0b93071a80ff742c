// Turns what staff wrote into the machine's event: commands work at any step.
import type { AttachmentLink, StaffEvent, TicketAction, TicketCommand } from "./staff.types";

const menuWords = new Set(["menu", "/menu", "/staff", "start"]);
const cancelWords = new Set(["cancel", "/cancel"]);
const helpWords = new Set(["help", "/help", "?"]);

/**
 * A message that belongs to the staff conversation even when the address is talking to the parent
 * one. Telegram's /start is not among them: parents' chats open with it.
 */
export function isStaffCommand(text: string): boolean {
  return /^\/(staff|announce|announcements|stats|tickets|note|resolve|take)(\s|:|$)/i.test(
    text.trim(),
  );
}

/** "T-1001", "t1001", "#1001" or "1001" as a reference, or null. */
function referenceIn(word: string | undefined): string | null {
  const number = word?.match(/^(?:t-?|#)?(\d{1,9})$/i)?.[1];
  return number ? `T-${Number(number)}` : null;
}

/**
 * A ticket command: "/note T-1001 text", "/resolve T-1001", "/take T-1001", or a staff answer
 * "T-1001 text" (the reference written as T-1001: a bare number is no answer).
 */
export function ticketCommandIn(text: string): TicketCommand | null {
  const trimmed = text.trim();
  const command = trimmed.match(/^\/(note|resolve|take)(?:@\w+)?(?:\s+(\S+))?\s*([\s\S]*)$/i);
  if (command) {
    const action = (command[1] ?? "").toLowerCase() as TicketAction;
    const reference = referenceIn(command[2]);
    // "/note T-1001 …": the reference; "/note …" without one keeps the whole text for the usage.
    return {
      action,
      reference: reference ?? "",
      text: (reference ? (command[3] ?? "") : [command[2], command[3]].join(" ")).trim(),
    };
  }
  const answer = trimmed.match(/^T-?(\d{1,9})\b[\s:,.-]*([\s\S]*)$/i);
  if (!answer) return null;
  return { action: "reply", reference: `T-${Number(answer[1])}`, text: (answer[2] ?? "").trim() };
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
  if (/^\/tickets$/i.test(text)) return { type: "command.tickets" };
  const ticket = ticketCommandIn(text);
  if (ticket) return { type: "command.ticket", ...ticket };
  return {
    type: "message",
    text: message.text,
    ...(message.sharedPhone ? { sharedPhone: message.sharedPhone } : {}),
    ...(message.media?.length ? { media: message.media } : {}),
  };
}
