// What the staff chat is told about tickets (pure): alerts, SLA reminders and breaches, the morning
// summary. Parents are named, never their phone or chat handle; nothing asks staff to type a word
// a carrier reads as an opt-out.

/** A ticket as an alert names it. */
export interface AlertTicket {
  reference: string;
  guardianName: string;
  /** "Chloe (5A)", or null when the request is about no child. */
  child: string | null;
  category: string;
}

/** How much of a parent's message an alert quotes. */
export const ALERT_EXCERPT_LENGTH = 200;

const categoryLabels: Record<string, string> = {
  academics: "Academics",
  attendance: "Attendance",
  fees: "Fees",
  transport: "Transport",
  other: "Other",
};

export const categoryLabel = (category: string) => categoryLabels[category] ?? category;

/** "Michael Barnes about Chloe (5A)". */
export const whoAbout = (ticket: AlertTicket) =>
  ticket.child ? `${ticket.guardianName} about ${ticket.child}` : ticket.guardianName;

/** The parent's words an alert quotes: their message on one line, cut short if it is long. */
export function quotedWords(text: string, length = ALERT_EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : flat.slice(0, length - 1).trimEnd();
}

/** The quoted words as an alert shows them, with "…" where they were cut. */
export function excerpt(text: string, length = ALERT_EXCERPT_LENGTH): string {
  const words = quotedWords(text, length);
  return words.length < text.replace(/\s+/g, " ").trim().length ? `${words}…` : words;
}

const howToAnswer = (reference: string) =>
  `Reply to this message to answer the parent, or type "${reference} your answer".`;

export function newTicketAlert(ticket: AlertTicket, text: string): string {
  return [
    `New request ${ticket.reference} from ${whoAbout(ticket)} · ${categoryLabel(ticket.category)}`,
    `"${excerpt(text)}"`,
    howToAnswer(ticket.reference),
  ].join("\n");
}

/** A follow-up alert; `messages` counts the parent's messages since the last alert (this one too). */
export function followUpAlert(ticket: AlertTicket, text: string, messages: number): string {
  const wrote = messages > 1 ? `sent ${messages} more messages; the last` : "wrote again";
  return [
    `${ticket.reference} · ${whoAbout(ticket)} ${wrote}:`,
    `"${excerpt(text)}"`,
    howToAnswer(ticket.reference),
  ].join("\n");
}

/**
 * A ticket that changed hands, to its new staff: who passed it, to whom ("you" for the new
 * holder), and the parent's latest message, so it can be answered from here.
 */
export function handoverAlert(
  ticket: AlertTicket,
  change: { by: string; to: string; lastMessage: string | null },
): string {
  return [
    `${change.by} passed ${ticket.reference} (${whoAbout(ticket)} · ${categoryLabel(ticket.category)}) to ${change.to}.`,
    ...(change.lastMessage
      ? [`The parent's latest message: "${excerpt(change.lastMessage)}"`]
      : []),
    howToAnswer(ticket.reference),
  ].join("\n");
}

export function slaReminder(ticket: AlertTicket, dueLabel: string): string {
  return [
    `Reminder: ${ticket.reference} (${whoAbout(ticket)} · ${categoryLabel(ticket.category)}) still needs its first answer, due by ${dueLabel}.`,
    howToAnswer(ticket.reference),
  ].join("\n");
}

export function slaBreachNotice(
  ticket: AlertTicket,
  dueLabel: string,
  holder: string | null,
): string {
  return [
    `${ticket.reference} (${whoAbout(ticket)} · ${categoryLabel(ticket.category)}) has had no answer since its first answer was due at ${dueLabel}.`,
    holder ? `${holder} holds it.` : "Nobody holds it yet.",
    `Type "/take ${ticket.reference}" to take it over.`,
  ].join(" ");
}

/** "25 min", "3 h", "2 days". */
export function waitLabel(ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

export interface SummaryLine extends AlertTicket {
  waitingMs: number;
  /** A parent message is waiting for an answer (their first, or one since the last answer). */
  awaitingAnswer: boolean;
  /** In a morning summary: parent messages that came while the member's alerts were held. */
  heldMessages?: number;
}

/** A ticket whose alerts were held for the member, resolved meanwhile by someone else. */
export interface ResolvedWhileHeld extends AlertTicket {
  /** Who resolved it, or null when no member is on record. */
  resolvedBy: string | null;
  heldMessages: number;
}

const messagesCount = (count: number) => `${count} ${count === 1 ? "message" : "messages"}`;

/** "waiting 3 h" (a parent message has no answer yet) or "open 2 days". */
export const waitPhrase = (line: SummaryLine) =>
  `${line.awaitingAnswer ? "waiting" : "open"} ${waitLabel(line.waitingMs)}`;

export function ticketLine(line: SummaryLine): string {
  const held = line.heldMessages
    ? ` · ${messagesCount(line.heldMessages)} while your alerts were held`
    : "";
  return `${line.reference} ${whoAbout(line)} · ${categoryLabel(line.category)} · ${waitPhrase(line)}${held}`;
}

function resolvedLine(ticket: ResolvedWhileHeld): string {
  const by = ticket.resolvedBy ?? "a colleague";
  return `${ticket.reference} ${whoAbout(ticket)} · ${categoryLabel(ticket.category)} · resolved by ${by} after ${messagesCount(ticket.heldMessages)} while your alerts were held`;
}

/**
 * The morning summary: the member's open tickets, the longest waiting first, with what came while
 * their alerts were held; then the held tickets someone else resolved meanwhile.
 */
export function morningSummary(
  name: string,
  lines: SummaryLine[],
  resolved: ResolvedWhileHeld[] = [],
): string {
  const open =
    lines.length > 0
      ? [`Your open tickets (${lines.length}), longest waiting first:`, ...lines.map(ticketLine)]
      : ["You have no open tickets."];
  const resolvedPart =
    resolved.length > 0
      ? ["Resolved overnight by someone else:", ...resolved.map(resolvedLine)]
      : [];
  const [first, ...rest] = open;
  return [
    `Good morning, ${name}. ${first}`,
    ...rest,
    ...resolvedPart,
    `Type "/tickets" for this list at any time, or "${lines[0]?.reference ?? resolved[0]?.reference ?? "T-1001"} your answer" to answer one.`,
  ].join("\n");
}

/** "Mon 3:00 PM" in the school's time zone. */
export function schoolTimeLabel(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    weekday: "short",
    hour: "numeric",
    minute: "2-digit",
  }).format(at);
}
