// Guardrails over the database: the one check the bot and the staff API both use, and the same
// limits as a SQL condition for the conditional ticket insert that holds when requests race.
import { and, asc, count, eq, gt, inArray, min, type SQL, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import {
  canOpenTicket,
  FLOOD_WINDOW_MS,
  type GuardrailLimits,
  isPacedRequest,
  limitsFromSettings,
  type NewTicketKind,
  type NewTicketVerdict,
  type TicketHistory,
  type TicketStatus,
  ticketReference,
  WEEK_MS,
} from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { tickets, schools, inboundMessages, channelIdentities } = schema;

export const OPEN_STATUSES: TicketStatus[] = ["open", "in_progress", "waiting_for_parent"];

export async function loadSchoolLimits(db: Database, schoolId: number): Promise<GuardrailLimits> {
  const [school] = await db
    .select({ settings: schools.settings })
    .from(schools)
    .where(eq(schools.id, schoolId));
  return limitsFromSettings(school?.settings ?? {});
}

/** An admin replaces the school's limits (already validated), audited; the bot applies them at once. */
export async function saveSchoolLimits(
  deps: Pick<ServiceDeps, "db" | "now">,
  actor: { staffId: number; schoolId: number },
  limits: GuardrailLimits,
): Promise<GuardrailLimits> {
  const before = await loadSchoolLimits(deps.db, actor.schoolId);
  const [school] = await deps.db
    .select({ settings: schools.settings })
    .from(schools)
    .where(eq(schools.id, actor.schoolId));
  const uow = new UnitOfWork();
  uow.plan(
    deps.db
      .update(schools)
      .set({ settings: { ...(school?.settings ?? {}), guardrails: limits } })
      .where(eq(schools.id, actor.schoolId)),
  );
  planAudit(deps, uow, {
    schoolId: actor.schoolId,
    actorType: "staff",
    actorId: actor.staffId,
    action: "school.guardrails",
    entity: "school",
    entityId: String(actor.schoolId),
    before,
    after: limits,
  });
  await uow.commit(deps.db);
  return loadSchoolLimits(deps.db, actor.schoolId);
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

export interface NewTicketCheck {
  verdict: NewTicketVerdict;
  limits: GuardrailLimits;
  history: TicketHistory;
}

/**
 * Would a new ticket for this guardian be allowed now, and if not, by which rule and until when.
 * The bot (before creating a ticket) and the staff API's check endpoint both ask this.
 */
export async function checkNewTicket(
  db: Database,
  guardian: { guardianId: number; schoolId: number },
  now: number,
  kind: NewTicketKind = {},
): Promise<NewTicketCheck> {
  const limits = await loadSchoolLimits(db, guardian.schoolId);
  const history = await loadTicketHistory(db, guardian.guardianId, now);
  return { verdict: canOpenTicket(limits, history, now, kind), limits, history };
}

/**
 * The rules of canOpenTicket as one SQL condition, evaluated inside the insert itself: a ticket
 * row is written only while the guardian is under every limit at that instant.
 */
export function newTicketAllowedCondition(
  limits: GuardrailLimits,
  guardianId: number,
  now: number,
  kind: NewTicketKind = {},
): SQL {
  const openCount = sql`(select count(*) from ${tickets} where ${tickets.guardianId} = ${guardianId} and ${inArray(tickets.status, OPEN_STATUSES)})`;
  const weekCount = sql`(select count(*) from ${tickets} where ${tickets.guardianId} = ${guardianId} and ${tickets.createdAt} > ${now - WEEK_MS})`;
  const inCooldown = sql`exists (select 1 from ${tickets} where ${tickets.guardianId} = ${guardianId} and ${tickets.createdAt} > ${now - limits.cooldownMinutes * 60_000})`;
  if (!isPacedRequest(kind)) return sql`${openCount} < ${limits.maxOpenTickets}`;
  return sql`${openCount} < ${limits.maxOpenTickets} and ${weekCount} < ${limits.maxTicketsPerWeek} and not ${inCooldown}`;
}

export interface GuardrailState {
  rule: "open_tickets" | "cooldown" | "weekly" | "messages";
  count: number;
  limit: number;
  /** When the rule stops holding the guardian back, if it does and time alone frees it. */
  freesAt: number | null;
}

/** Each rule's count, limit and when it frees up, for staff looking at one guardian. */
export async function describeGuardrails(
  db: Database,
  guardian: { guardianId: number; schoolId: number },
  now: number,
): Promise<GuardrailState[]> {
  const { verdict, limits, history } = await checkNewTicket(db, guardian, now);
  const cooldownMs = limits.cooldownMinutes * 60_000;
  const inCooldown = history.createdInLastWeek.filter((at) => at > now - cooldownMs);
  // The bot counts messages per chat address (one conversation), so the busiest address is shown.
  const perAddress = await db
    .select({ count: count(), oldest: min(inboundMessages.receivedAt) })
    .from(inboundMessages)
    .innerJoin(
      channelIdentities,
      and(
        eq(channelIdentities.channel, inboundMessages.channel),
        eq(channelIdentities.address, inboundMessages.address),
      ),
    )
    .where(
      and(
        eq(channelIdentities.guardianId, guardian.guardianId),
        gt(inboundMessages.receivedAt, now - FLOOD_WINDOW_MS),
        eq(inboundMessages.counted, true),
      ),
    )
    .groupBy(inboundMessages.channel, inboundMessages.address);
  const messages = perAddress.sort((a, b) => b.count - a.count)[0];
  const messageCount = messages?.count ?? 0;
  return [
    {
      rule: "open_tickets",
      count: history.open.length,
      limit: limits.maxOpenTickets,
      freesAt: null,
    },
    {
      rule: "cooldown",
      count: inCooldown.length,
      limit: limits.cooldownMinutes,
      freesAt: verdict.allowed || verdict.rule !== "cooldown" ? null : verdict.retryAt,
    },
    {
      rule: "weekly",
      count: history.createdInLastWeek.length,
      limit: limits.maxTicketsPerWeek,
      freesAt: verdict.allowed || verdict.rule !== "weekly" ? null : verdict.retryAt,
    },
    {
      rule: "messages",
      count: messageCount,
      limit: limits.maxMessagesPerFiveMinutes,
      freesAt:
        messageCount >= limits.maxMessagesPerFiveMinutes && messages?.oldest
          ? messages.oldest + FLOOD_WINDOW_MS
          : null,
    },
  ];
}
