// Ticket alerts to staff chats: who hears about a ticket (its assignee, or every office member of
// the function that handles it, or the admins when nobody holds it), on which linked chat, and
// whether the alert goes now or waits for their morning summary. Alerts are outbox rows planned
// into the unit of work of the change that caused them.
import { and, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { placeholder as p, preparedPerDatabase, schema, WriteConflict } from "../../db";
import {
  type AlertTicket,
  alertDelivery,
  alertPreferencesFrom,
  FOLLOW_UP_ALERT_WINDOW_MS,
  followUpAlert,
  quotedWords,
  ticketReference,
} from "../domain";
import { planOutboxMessage } from "../outbox/enqueue";
import { UnitOfWork } from "../outbox/unit-of-work";
import type { ServiceDeps } from "./deps";
import { OPEN_STATUSES } from "./guardrails";

const { schools, tickets, guardians, students, classes } = schema;

/** A member an alert is for, with the chat they linked most recently (null when none). */
export interface AlertRecipient {
  staffId: number;
  preferences: Record<string, unknown>;
  channel: string | null;
  address: string | null;
}

/** The staff member's most recently verified chat that still counts, as a subquery on `s`. */
const LINKED_CHAT = `(select ci.id from channel_identities ci
    where ci.staff_id = s.id and ci.verified_at is not null and ci.expires_at > @now
      and ci.opted_out_at is null
    order by ci.verified_at desc limit 1)`;

/**
 * The ticket's audience: the assignee and, when the assignee works in an office, the rest of that
 * office function (they see its tickets too); the admins when nobody holds the ticket.
 */
const recipientsStatement = preparedPerDatabase((db) =>
  db.$client.prepare<
    { school: number; assignee: number | null; now: number },
    { staffId: number; preferences: string; channel: string | null; address: string | null }
  >(
    `select s.id as staffId, s.alert_preferences as preferences, ci.channel, ci.address
       from staff s left join channel_identities ci on ci.id = ${LINKED_CHAT}
      where s.school_id = @school and s.active = 1
        and (s.id = @assignee
          or (s.role = 'office' and s.office_function = (select a.office_function from staff a
                where a.id = @assignee and a.role = 'office'))
          or (@assignee is null and s.role = 'admin'))
      order by s.id`,
  ),
);

/** The school's admins and the office staff of its front office: who hears of an SLA breach. */
const overseersStatement = preparedPerDatabase((db) =>
  db.$client.prepare<
    { school: number; now: number },
    { staffId: number; preferences: string; channel: string | null; address: string | null }
  >(
    `select s.id as staffId, s.alert_preferences as preferences, ci.channel, ci.address
       from staff s left join channel_identities ci on ci.id = ${LINKED_CHAT}
      where s.school_id = @school and s.active = 1
        and (s.role = 'admin' or (s.role = 'office' and s.office_function = 'front'))
      order by s.id`,
  ),
);

const schoolClock = preparedPerDatabase((db) =>
  db
    .select({ settings: schools.settings, timezone: schools.timezone })
    .from(schools)
    .where(eq(schools.id, p("school")))
    .prepare(),
);

const parsed = (row: {
  staffId: number;
  preferences: string;
  channel: string | null;
  address: string | null;
}): AlertRecipient => ({ ...row, preferences: JSON.parse(row.preferences) });

export function alertRecipients(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  assigneeStaffId: number | null,
  now: number,
): AlertRecipient[] {
  return recipientsStatement(deps.db)
    .all({ school: schoolId, assignee: assigneeStaffId, now })
    .map(parsed);
}

export function overseersOf(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  now: number,
): AlertRecipient[] {
  return overseersStatement(deps.db).all({ school: schoolId, now }).map(parsed);
}

/** Where one ticket's alert is going. */
export interface TicketAlertTarget {
  schoolId: number;
  /** The ticket's id, or its number when the same unit of work inserts it. */
  ticket: { id: number } | { number: number };
}

/** A linked chat that takes an alert now. */
export interface AlertChat {
  channel: string;
  address: string;
}

/**
 * The chats an alert goes to now: recipients with a linked chat who want alerts as they come and
 * are outside their quiet hours. The others see the ticket in their morning summary (or, with
 * alerts off, on the desk).
 */
export async function chatsToAlertNow(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  recipients: AlertRecipient[],
  now: number,
): Promise<AlertChat[]> {
  const linked = recipients.filter(
    (r): r is AlertRecipient & AlertChat => r.channel !== null && r.address !== null,
  );
  if (linked.length === 0) return [];
  const school = await schoolClock(deps.db).get({ school: schoolId });
  return linked
    .filter(
      (recipient) =>
        alertDelivery(
          alertPreferencesFrom(recipient.preferences),
          school?.settings ?? {},
          now,
          school?.timezone ?? "UTC",
        ) === "send",
    )
    .map(({ channel, address }) => ({ channel, address }));
}

/** Plans one alert row per chat, tied to the ticket (a reply to it answers that ticket). */
export function planTicketAlerts(
  deps: Pick<ServiceDeps, "db" | "secrets" | "now">,
  uow: UnitOfWork,
  target: TicketAlertTarget,
  chats: AlertChat[],
  body: string,
  /** The parent's words the body quotes, left as written on SMS. */
  quoted?: string[],
): void {
  for (const chat of chats) {
    planOutboxMessage(deps, uow, {
      schoolId: target.schoolId,
      ...chat,
      kind: "alert",
      body,
      ...(quoted ? { quoted } : {}),
      ...("id" in target.ticket
        ? { ticketId: target.ticket.id }
        : { ticketNumber: target.ticket.number }),
    });
  }
}

/** A ticket as alerts name it, or null when there is no such ticket. */
export async function loadAlertTicket(
  deps: Pick<ServiceDeps, "db">,
  ticketId: number,
): Promise<AlertTicket | null> {
  const [row] = await deps.db
    .select({
      number: tickets.number,
      category: tickets.category,
      guardianName: sql<string>`${guardians.firstName} || ' ' || ${guardians.lastName}`,
      childName: students.firstName,
      className: classes.name,
    })
    .from(tickets)
    .innerJoin(guardians, eq(guardians.id, tickets.guardianId))
    .leftJoin(students, eq(students.id, tickets.studentId))
    .leftJoin(classes, eq(classes.id, students.classId))
    .where(eq(tickets.id, ticketId));
  if (!row) return null;
  return {
    reference: ticketReference(row.number),
    guardianName: row.guardianName,
    child: row.childName ? `${row.childName} (${row.className ?? ""})` : null,
    category: row.category,
  };
}

/**
 * Alerts the ticket's staff to a parent's follow-up, at most once per ticket in
 * FOLLOW_UP_ALERT_WINDOW_MS: a message inside the window is counted, and the next alert (this
 * road's, or the staff alert job's once the window is over) says how many came.
 */
export async function planFollowUpAlert(
  deps: Pick<ServiceDeps, "db" | "secrets" | "now">,
  uow: UnitOfWork,
  ticket: typeof tickets.$inferSelect,
  text: string,
  now: number,
) {
  if (ticket.lastAlertAt !== null && now - ticket.lastAlertAt < FOLLOW_UP_ALERT_WINDOW_MS) {
    uow.plan(
      deps.db
        .update(tickets)
        .set({ unalertedMessages: sql`${tickets.unalertedMessages} + 1` })
        .where(eq(tickets.id, ticket.id)),
    );
    return;
  }
  const recipients = alertRecipients(deps, ticket.schoolId, ticket.assigneeStaffId, now);
  const chats = await chatsToAlertNow(deps, ticket.schoolId, recipients, now);
  const alertTicket = chats.length > 0 ? await loadAlertTicket(deps, ticket.id) : null;
  // Not alerted now (quiet hours, alerts off, no chat): the morning summary shows the ticket.
  uow.plan(
    deps.db
      .update(tickets)
      .set({ unalertedMessages: 0, ...(alertTicket ? { lastAlertAt: now } : {}) })
      .where(eq(tickets.id, ticket.id)),
  );
  if (!alertTicket) return;
  planTicketAlerts(
    deps,
    uow,
    { schoolId: ticket.schoolId, ticket: { id: ticket.id } },
    chats,
    followUpAlert(alertTicket, text, ticket.unalertedMessages + 1),
    [quotedWords(text)],
  );
}

/** The parent's latest message on a ticket: what a held follow-up alert quotes. */
export const latestParentMessage = preparedPerDatabase((db) =>
  db.$client.prepare<{ ticket: number }, { body: string }>(
    `select body from ticket_messages where ticket_id = @ticket and author_type = 'parent'
      order by id desc limit 1`,
  ),
);

/**
 * Follow-ups held back by the 10-minute pace, once their window is over: one alert per ticket
 * counting them, guarded on the count read (a message arriving meanwhile waits for the next one).
 */
export async function alertHeldFollowUps(
  deps: Pick<ServiceDeps, "db" | "secrets" | "now" | "outboxQueued">,
): Promise<number> {
  const now = deps.now();
  const held = await deps.db
    .select()
    .from(tickets)
    .where(
      and(
        gt(tickets.unalertedMessages, 0),
        lte(tickets.lastAlertAt, now - FOLLOW_UP_ALERT_WINDOW_MS),
        inArray(tickets.status, OPEN_STATUSES),
      ),
    )
    .limit(200);
  let alerted = 0;
  for (const ticket of held) {
    const uow = new UnitOfWork();
    uow.plan(
      deps.db
        .update(tickets)
        .set({ unalertedMessages: 0, lastAlertAt: now })
        .where(
          and(eq(tickets.id, ticket.id), eq(tickets.unalertedMessages, ticket.unalertedMessages)),
        ),
      { guard: "held-follow-ups" },
    );
    const recipients = alertRecipients(deps, ticket.schoolId, ticket.assigneeStaffId, now);
    const chats = await chatsToAlertNow(deps, ticket.schoolId, recipients, now);
    const alertTicket = chats.length > 0 ? await loadAlertTicket(deps, ticket.id) : null;
    const last = latestParentMessage(deps.db).get({ ticket: ticket.id });
    if (alertTicket && last) {
      planTicketAlerts(
        deps,
        uow,
        { schoolId: ticket.schoolId, ticket: { id: ticket.id } },
        chats,
        followUpAlert(alertTicket, last.body, ticket.unalertedMessages),
        [quotedWords(last.body)],
      );
    }
    try {
      await uow.commit(deps.db);
      alerted += 1;
    } catch (error) {
      if (!(error instanceof WriteConflict)) throw error;
    }
  }
  if (alerted > 0) deps.outboxQueued?.();
  return alerted;
}

export type { AlertTicket };
