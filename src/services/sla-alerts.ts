// The first-response SLA in the staff chat: an assignee is reminded once before a ticket's first
// answer is due, and at the breach the office and the admins are told once, with who holds it.
// Each notice is an outbox row written with the mark that it was sent, guarded, so two runs (or
// two processes) never tell anyone twice.
import { and, eq, inArray, isNull, lte } from "drizzle-orm";
import { schema, WriteConflict } from "../../db";
import {
  MAX_SLA_REMINDER_MINUTES,
  schoolTimeLabel,
  slaBreachNotice,
  slaReminder,
  slaReminderMinutesFrom,
} from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import type { ServiceDeps } from "./deps";
import { staffDisplayName } from "./directory";
import { OPEN_STATUSES } from "./guardrails";
import {
  alertRecipients,
  chatsToAlertNow,
  loadAlertTicket,
  overseersOf,
  planTicketAlerts,
} from "./staff-alerts";

const { tickets, schools, staff } = schema;

/**
 * A breach older than this (the server was down, or the tickets predate these notices) is marked
 * without a notice: the morning summary and the desk show it, and a deploy sends no storm.
 */
const STALE_BREACH_MS = 24 * 60 * 60_000;

/** Tickets still waiting for their first answer whose due time is within `until`. */
function awaitingFirstAnswer(deps: ServiceDeps, until: number, notYet: "reminded" | "told") {
  const mark = notYet === "reminded" ? tickets.slaRemindedAt : tickets.slaBreachToldAt;
  return deps.db
    .select({ ticket: tickets, timezone: schools.timezone, settings: schools.settings })
    .from(tickets)
    .innerJoin(schools, eq(schools.id, tickets.schoolId))
    .where(
      and(
        isNull(tickets.firstResponseAt),
        isNull(tickets.resolvedAt),
        lte(tickets.firstResponseDueAt, until),
        isNull(mark),
        inArray(tickets.status, OPEN_STATUSES),
      ),
    )
    .orderBy(tickets.firstResponseDueAt)
    .limit(200);
}

/** Commits one notice with its mark; a run that lost the race to the mark changes nothing. */
async function commitNotice(deps: ServiceDeps, uow: UnitOfWork): Promise<boolean> {
  try {
    await uow.commit(deps.db);
    return true;
  } catch (error) {
    if (error instanceof WriteConflict) return false;
    throw error;
  }
}

/**
 * Reminds assignees of first answers due within their school's reminder lead
 * (settings.slaReminderMinutes); returns how many tickets.
 */
export async function remindBeforeDue(deps: ServiceDeps): Promise<number> {
  const now = deps.now();
  const due = await awaitingFirstAnswer(deps, now + MAX_SLA_REMINDER_MINUTES * 60_000, "reminded");
  let reminded = 0;
  for (const { ticket, timezone, settings } of due) {
    const lead = slaReminderMinutesFrom(settings) * 60_000;
    if ((ticket.firstResponseDueAt ?? now) - now > lead) continue;
    const uow = new UnitOfWork();
    uow.plan(
      deps.db
        .update(tickets)
        .set({ slaRemindedAt: now })
        .where(and(eq(tickets.id, ticket.id), isNull(tickets.slaRemindedAt))),
      { guard: "sla-reminder" },
    );
    // Past due already: the breach notice says it; the reminder is only marked.
    const dueAt = ticket.firstResponseDueAt ?? now;
    const alerted = dueAt > now ? await loadAlertTicket(deps, ticket.id) : null;
    if (alerted && ticket.assigneeStaffId !== null) {
      const assignee = alertRecipients(deps, ticket.schoolId, ticket.assigneeStaffId, now).filter(
        (recipient) => recipient.staffId === ticket.assigneeStaffId,
      );
      const chats = await chatsToAlertNow(deps, ticket.schoolId, assignee, now);
      planTicketAlerts(
        deps,
        uow,
        { schoolId: ticket.schoolId, ticket: { id: ticket.id } },
        chats,
        slaReminder(alerted, schoolTimeLabel(dueAt, timezone)),
      );
    }
    if (await commitNotice(deps, uow)) reminded += 1;
  }
  if (reminded > 0) deps.outboxQueued?.();
  return reminded;
}

/** Tells office and admins of tickets past their first-answer due time; returns how many. */
export async function tellBreaches(deps: ServiceDeps): Promise<number> {
  const now = deps.now();
  const breached = await awaitingFirstAnswer(deps, now, "told");
  let told = 0;
  for (const { ticket, timezone } of breached) {
    const uow = new UnitOfWork();
    uow.plan(
      deps.db
        .update(tickets)
        .set({ slaBreachToldAt: now })
        .where(and(eq(tickets.id, ticket.id), isNull(tickets.slaBreachToldAt))),
      { guard: "sla-breach" },
    );
    const dueAt = ticket.firstResponseDueAt ?? now;
    const alerted = now - dueAt <= STALE_BREACH_MS ? await loadAlertTicket(deps, ticket.id) : null;
    const [holder] = ticket.assigneeStaffId
      ? await deps.db.select().from(staff).where(eq(staff.id, ticket.assigneeStaffId))
      : [];
    if (alerted) {
      const overseers = overseersOf(deps, ticket.schoolId, now);
      const chats = await chatsToAlertNow(deps, ticket.schoolId, overseers, now);
      planTicketAlerts(
        deps,
        uow,
        { schoolId: ticket.schoolId, ticket: { id: ticket.id } },
        chats,
        slaBreachNotice(
          alerted,
          schoolTimeLabel(dueAt, timezone),
          holder ? staffDisplayName(holder) : null,
        ),
      );
    }
    if (await commitNotice(deps, uow)) told += 1;
  }
  if (told > 0) deps.outboxQueued?.();
  return told;
}
