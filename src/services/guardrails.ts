// Guardrails over the database: the one check the bot and the staff API both use, and the same
// limits as a SQL condition for the conditional ticket insert that holds when requests race.
import { and, asc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { TicketStatus } from "../../db/schema";
import {
  canOpenTicket,
  type GuardrailLimits,
  limitsFromSettings,
  type NewTicketVerdict,
  type TicketHistory,
  ticketReference,
  WEEK_MS,
} from "../domain";

const { tickets, schools } = schema;

export const OPEN_STATUSES: TicketStatus[] = ["open", "in_progress", "waiting_for_parent"];

export async function loadSchoolLimits(db: Database, schoolId: number): Promise<GuardrailLimits> {
  const [school] = await db
    .select({ settings: schools.settings })
    .from(schools)
    .where(eq(schools.id, schoolId));
  return limitsFromSettings(school?.settings ?? {});
}

export async function loadTicketHistory(
  db: Database,
  guardianId: number,
  now: number,
): Promise<TicketHistory> {
  const open = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.guardianId, guardianId), inArray(tickets.status, OPEN_STATUSES)))
    .orderBy(asc(tickets.number));
  const recent = await db
    .select({ createdAt: tickets.createdAt })
    .from(tickets)
    .where(and(eq(tickets.guardianId, guardianId), gt(tickets.createdAt, now - WEEK_MS)))
    .orderBy(asc(tickets.createdAt));
  return {
    open: open.map((ticket) => ({ reference: ticketReference(ticket.number) })),
    createdInLastWeek: recent.map((ticket) => ticket.createdAt),
  };
}

/** Would a new ticket for this guardian be allowed now, and if not, by which rule and until when. */
export async function checkNewTicket(
  db: Database,
  guardian: { guardianId: number; schoolId: number },
  now: number,
): Promise<NewTicketVerdict> {
  const limits = await loadSchoolLimits(db, guardian.schoolId);
  return canOpenTicket(limits, await loadTicketHistory(db, guardian.guardianId, now), now);
}

/**
 * The rules of canOpenTicket as one SQL condition, evaluated inside the insert itself: a ticket
 * row is written only while the guardian is under every limit at that instant.
 */
export function newTicketAllowedCondition(
  limits: GuardrailLimits,
  guardianId: number,
  now: number,
): SQL {
  const openCount = sql`(select count(*) from ${tickets} where ${tickets.guardianId} = ${guardianId} and ${inArray(tickets.status, OPEN_STATUSES)})`;
  const weekCount = sql`(select count(*) from ${tickets} where ${tickets.guardianId} = ${guardianId} and ${tickets.createdAt} > ${now - WEEK_MS})`;
  const inCooldown = sql`exists (select 1 from ${tickets} where ${tickets.guardianId} = ${guardianId} and ${tickets.createdAt} > ${now - limits.cooldownMinutes * 60_000})`;
  return sql`${openCount} < ${limits.maxOpenTickets} and ${weekCount} < ${limits.maxTicketsPerWeek} and not ${inCooldown}`;
}
