// The guardrails that keep one guardian from flooding a school's inbox (pure). The bot and the
// staff API's check endpoint both ask these functions; the database enforces the same limits with
// a conditional write so they hold when two requests race.
import { z } from "zod";

export const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

export interface GuardrailLimits {
  /** Open tickets one guardian may have at once. */
  maxOpenTickets: number;
  /** Minutes between two new tickets. */
  cooldownMinutes: number;
  /** New tickets in any rolling 7 days. */
  maxTicketsPerWeek: number;
  /** Times one ticket may be reopened… */
  maxReopens: number;
  /** …and only within this many days of its resolution. */
  reopenWindowDays: number;
  /** Inbound messages in 5 minutes before the chat pauses (a second pause in a day flags). */
  maxMessagesPerFiveMinutes: number;
}

export const DEFAULT_LIMITS: GuardrailLimits = {
  maxOpenTickets: 3,
  cooldownMinutes: 10,
  maxTicketsPerWeek: 5,
  maxReopens: 2,
  reopenWindowDays: 7,
  // Flooding means abuse: the longest journeys through the bot's own prompts, back to back, stay
  // well under this (test/conversations/flood.test.ts).
  maxMessagesPerFiveMinutes: 60,
};

export const guardrailLimitsSchema = z.object({
  maxOpenTickets: z.number().int().min(1).max(50),
  cooldownMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  maxTicketsPerWeek: z.number().int().min(1).max(500),
  maxReopens: z.number().int().min(0).max(20),
  reopenWindowDays: z.number().int().min(0).max(90),
  maxMessagesPerFiveMinutes: z.number().int().min(5).max(1000),
});

const partialLimits = guardrailLimitsSchema.partial();
/** Parsed limits by their JSON text: every message checks them, and they rarely change. */
const parsedLimits = new Map<string, GuardrailLimits>();

/** A school's limits: its settings.guardrails over the defaults; invalid values fall back. */
export function limitsFromSettings(settings: Record<string, unknown>): GuardrailLimits {
  const key = JSON.stringify(settings.guardrails ?? {});
  let limits = parsedLimits.get(key);
  if (!limits) {
    const parsed = partialLimits.safeParse(settings.guardrails ?? {});
    limits = Object.freeze({ ...DEFAULT_LIMITS, ...(parsed.success ? parsed.data : {}) });
    if (parsedLimits.size > 1000) parsedLimits.clear();
    parsedLimits.set(key, limits);
  }
  return limits;
}

export const FLOOD_WINDOW_MS = 5 * MINUTE_MS;
/** A second flood pause within this long is abuse: it flags the guardian. */
export const FLOOD_REPEAT_MS = DAY_MS;
export const WEEK_MS = 7 * DAY_MS;

export interface TicketHistory {
  /** The guardian's open tickets, oldest first. */
  open: { reference: string }[];
  /** When each of the guardian's tickets of the last 7 days was created, oldest first. */
  createdInLastWeek: number[];
}

export type NewTicketVerdict =
  | { allowed: true }
  | { allowed: false; rule: "open_tickets"; limit: number; openReferences: string[] }
  | { allowed: false; rule: "cooldown"; limit: number; retryAt: number }
  | { allowed: false; rule: "weekly"; limit: number; retryAt: number };

/**
 * What kind of request is asked for: attendance notes (absent, late) and "talk to a person" are
 * never held back by the cooldown or the weekly cap (only by the open-ticket cap).
 */
export interface NewTicketKind {
  category?: string;
  urgent?: boolean;
}

export const isPacedRequest = (kind: NewTicketKind = {}) =>
  !kind.urgent && kind.category !== "attendance";

export function canOpenTicket(
  limits: GuardrailLimits,
  history: TicketHistory,
  now: number,
  kind: NewTicketKind = {},
): NewTicketVerdict {
  if (history.open.length >= limits.maxOpenTickets) {
    return {
      allowed: false,
      rule: "open_tickets",
      limit: limits.maxOpenTickets,
      openReferences: history.open.map((ticket) => ticket.reference),
    };
  }
  if (!isPacedRequest(kind)) return { allowed: true };
  const recent = history.createdInLastWeek.filter((at) => at > now - WEEK_MS);
  if (recent.length >= limits.maxTicketsPerWeek) {
    // The oldest tickets age out first: the next one is possible when enough of them have.
    const freesAt = recent[recent.length - limits.maxTicketsPerWeek] ?? now;
    return {
      allowed: false,
      rule: "weekly",
      limit: limits.maxTicketsPerWeek,
      retryAt: freesAt + WEEK_MS,
    };
  }
  const last = recent.at(-1);
  const cooldownMs = limits.cooldownMinutes * MINUTE_MS;
  if (last !== undefined && now - last < cooldownMs) {
    return {
      allowed: false,
      rule: "cooldown",
      limit: limits.cooldownMinutes,
      retryAt: last + cooldownMs,
    };
  }
  return { allowed: true };
}

export type ReopenVerdict =
  | { allowed: true }
  | { allowed: false; rule: "reopen_limit"; limit: number }
  | { allowed: false; rule: "reopen_window"; limit: number };

export function canReopen(
  limits: GuardrailLimits,
  ticket: { reopenCount: number; resolvedAt: number | null },
  now: number,
): ReopenVerdict {
  if (ticket.reopenCount >= limits.maxReopens) {
    return { allowed: false, rule: "reopen_limit", limit: limits.maxReopens };
  }
  if (ticket.resolvedAt === null || now - ticket.resolvedAt > limits.reopenWindowDays * DAY_MS) {
    return { allowed: false, rule: "reopen_window", limit: limits.reopenWindowDays };
  }
  return { allowed: true };
}

/** True when this message would be more than the guardian may send in 5 minutes. */
export function isFlooding(limits: GuardrailLimits, messagesInWindow: number): boolean {
  return messagesInWindow >= limits.maxMessagesPerFiveMinutes;
}
