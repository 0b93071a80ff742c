// Tickets: created from the parent conversation, listed, read and answered by staff.
import { and, asc, desc, eq, gte, inArray, isNull, lt, not, or, type SQL, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { Assignee } from "../../flows/parent";
import {
  type NewTicketVerdict,
  newTicketAlert,
  quotedWords,
  routeTicket,
  type TicketCategory,
  type TicketStatus,
  ticketReference,
} from "../domain";
import { planOutboxMessage } from "../outbox/enqueue";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";
import { loadGuardianProfile, loadRoutingDirectory, staffDisplayName } from "./directory";
import {
  checkNewTicket,
  loadSchoolLimits,
  newTicketAllowedCondition,
  OPEN_STATUSES,
} from "./guardrails";
import { dueTimeFor, isSlaBreached, slaBreachedCondition } from "./sla";
import {
  alertRecipients,
  chatsToAlertNow,
  planFollowUpAlert,
  planTicketAlerts,
} from "./staff-alerts";
import { planTicketEvent } from "./staff-events";
import { categoriesOfOffice, type StaffViewer } from "./staff-viewer";
import { afterCursor, encodeCursor, orderByOf, type TicketSort } from "./ticket-order";
import { matchingTickets, newestMatchingTicketIds, searchExpression } from "./ticket-search";

const { tickets, ticketMessages, schools, staff, students, classes, guardians, classTeachers } =
  schema;

export interface ParentTicketDraft {
  guardianId: number;
  schoolId: number;
  studentId: number | null;
  category: TicketCategory;
  text: string;
  media: { url: string; contentType?: string }[];
  /** Where staff replies go: the channel and address the parent wrote from. */
  channel: string;
  address: string;
  /** "Talk to a person": goes to the front office as urgent. */
  urgent?: boolean;
}

/**
 * Hands out the school's next ticket number. It runs on its own, like a database sequence: a step
 * that is then abandoned leaves a gap in the numbers, never a duplicate.
 */
async function nextTicketNumber(db: Database, schoolId: number): Promise<number> {
  const [row] = await db
    .update(schools)
    .set({ lastTicketNumber: sql`${schools.lastTicketNumber} + 1` })
    .where(eq(schools.id, schoolId))
    .returning({ number: schools.lastTicketNumber });
  if (!row) throw new Error(`school ${schoolId} does not exist`);
  return row.number;
}

export type ParentTicketResult =
  | { status: "created"; reference: string; assignee: Assignee }
  /** Refused by a guardrail; what the parent wrote was added to `keptIn` instead. */
  | {
      status: "refused";
      verdict: Exclude<NewTicketVerdict, { allowed: true }>;
      keptIn: string | null;
    };

/**
 * Where a refused request's text is kept so staff see it: the guardian's newest open ticket, or
 * else their newest ticket. Null only for a guardian with no ticket at all (never refused).
 */
export async function ticketToKeepIn(db: Database, guardianId: number): Promise<string | null> {
  const [row] = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(eq(tickets.guardianId, guardianId))
    .orderBy(
      desc(sql`${tickets.status} in ('open', 'in_progress', 'waiting_for_parent')`),
      desc(tickets.number),
    )
    .limit(1);
  return row ? ticketReference(row.number) : null;
}

/**
 * Plans a new ticket with the parent's first message, within the guardrails. The check here gives
 * the parent a specific answer; the insert repeats it as a condition, so a request that raced past
 * the check changes nothing and the step is re-run (and then refused here).
 */
export async function planParentTicket(
  deps: ServiceDeps,
  uow: UnitOfWork,
  draft: ParentTicketDraft,
): Promise<ParentTicketResult> {
  const profile = await loadGuardianProfile(deps.db, draft.guardianId);
  if (!profile || profile.schoolId !== draft.schoolId) throw new Error("guardian not in school");
  const now = deps.now();
  const kind = { category: draft.category, urgent: draft.urgent ?? false };
  const { verdict, limits } = await checkNewTicket(deps.db, draft, now, kind);
  if (!verdict.allowed) {
    // Never thrown away: what the parent wrote goes to a ticket staff see.
    const keptIn = await ticketToKeepIn(deps.db, draft.guardianId);
    if (keptIn)
      await planParentFollowUp(deps, uow, { ...draft, reference: keptIn }, { anyStatus: true });
    return { status: "refused", verdict, keptIn };
  }

  const child = profile.children.find((c) => c.id === draft.studentId) ?? null;
  const directory = await loadRoutingDirectory(deps.db, draft.schoolId, child?.classId ?? null);
  const route = routeTicket(draft.category, directory, {
    flagged: profile.flagged,
    urgent: draft.urgent,
  });
  const priority = draft.urgent ? "urgent" : "normal";
  const dueAt = await dueTimeFor(deps.db, draft.schoolId, priority, now);
  // Who is alerted is known before the insert, so the ticket records its alert in the same row.
  const recipients = alertRecipients(deps, draft.schoolId, route.staffId, now);
  const chats = await chatsToAlertNow(deps, draft.schoolId, recipients, now);
  const lastAlertAt = chats.length > 0 ? now : null;
  const number = await nextTicketNumber(deps.db, draft.schoolId);
  const insertWithinLimits = sql`insert into ${tickets} (school_id, number, guardian_id, student_id, category, priority, status, assignee_staff_id, routing_reason, channel, address, created_at, updated_at, first_response_due_at, last_alert_at)
    select ${draft.schoolId}, ${number}, ${draft.guardianId}, ${child?.id ?? null}, ${draft.category}, ${priority}, 'open', ${route.staffId}, ${route.reason}, ${draft.channel}, ${draft.address}, ${now}, ${now}, ${dueAt}, ${lastAlertAt}
    where ${newTicketAllowedCondition(limits, draft.guardianId, now, kind)}`;
  uow.plan({ run: () => deps.db.run(insertWithinLimits) }, { guard: "ticket-guardrails" });
  uow.plan(
    deps.db.insert(ticketMessages).values({
      schoolId: draft.schoolId,
      // The ticket row is inserted by the same commit, so it is found by its unique number.
      ticketId: sql`(select id from tickets where school_id = ${draft.schoolId} and number = ${number})`,
      authorType: "parent",
      body: draft.text,
      attachments: draft.media,
      createdAt: now,
    }),
  );
  planTicketEvent(deps, uow, {
    type: "ticket.created",
    ticketId: sql`(select id from tickets where school_id = ${draft.schoolId} and number = ${number})`,
  });
  const alertTicket = {
    reference: ticketReference(number),
    guardianName: `${profile.firstName} ${profile.lastName}`,
    child: child ? `${child.name} (${child.className})` : null,
    category: draft.category,
  };
  planTicketAlerts(
    deps,
    uow,
    { schoolId: draft.schoolId, ticket: { number } },
    chats,
    newTicketAlert(alertTicket, draft.text),
    [quotedWords(draft.text)],
  );
  return { status: "created", reference: ticketReference(number), assignee: route.assignee };
}

export async function listOpenTicketsOfGuardian(db: Database, guardianId: number) {
  const rows = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      status: tickets.status,
      category: tickets.category,
      childName: students.firstName,
    })
    .from(tickets)
    .leftJoin(students, eq(students.id, tickets.studentId))
    .where(and(eq(tickets.guardianId, guardianId), inArray(tickets.status, OPEN_STATUSES)))
    .orderBy(asc(tickets.number));
  return Promise.all(
    rows.map(async (ticket) => {
      const [lastReply] = await db
        .select({ body: ticketMessages.body })
        .from(ticketMessages)
        .where(
          and(
            eq(ticketMessages.ticketId, ticket.id),
            eq(ticketMessages.authorType, "staff"),
            eq(ticketMessages.internal, false),
          ),
        )
        .orderBy(desc(ticketMessages.id))
        .limit(1);
      return {
        reference: ticketReference(ticket.number),
        status: ticket.status,
        category: ticket.category,
        ...(ticket.childName ? { childName: ticket.childName } : {}),
        ...(lastReply ? { lastReply: lastReply.body } : {}),
      };
    }),
  );
}

/**
 * A parent's follow-up on one of their open tickets: the message joins the thread, an answered
 * ticket goes back to the school's court, and its staff are alerted in their staff chat (paced).
 */
export async function planParentFollowUp(
  deps: ServiceDeps,
  uow: UnitOfWork,
  followUp: { guardianId: number; reference: string; text: string; media: { url: string }[] },
  { anyStatus = false }: { anyStatus?: boolean } = {},
) {
  const number = Number(followUp.reference.replace(/^T-/, ""));
  const [ticket] = await deps.db
    .select({
      ticket: tickets,
      guardianName: sql<string>`${guardians.firstName} || ' ' || ${guardians.lastName}`,
    })
    .from(tickets)
    .innerJoin(guardians, eq(guardians.id, tickets.guardianId))
    .where(
      and(
        eq(tickets.guardianId, followUp.guardianId),
        eq(tickets.number, number),
        anyStatus ? undefined : inArray(tickets.status, OPEN_STATUSES),
      ),
    );
  if (!ticket)
    throw new Error(`no open ticket ${followUp.reference} for guardian ${followUp.guardianId}`);
  const now = deps.now();
  const { id, schoolId, assigneeStaffId } = ticket.ticket;
  uow.plan(
    deps.db.insert(ticketMessages).values({
      schoolId,
      ticketId: id,
      authorType: "parent",
      body: followUp.text,
      attachments: followUp.media,
      createdAt: now,
    }),
  );
  uow.plan(
    deps.db
      .update(tickets)
      .set({
        status:
          ticket.ticket.status === "waiting_for_parent" ? "in_progress" : ticket.ticket.status,
        updatedAt: now,
      })
      .where(eq(tickets.id, id)),
  );
  planMessageEvent(deps, uow, id, { authorType: "parent", internal: false });
  await planFollowUpAlert(deps, uow, ticket.ticket, followUp.text, now);
  const [assignee] = assigneeStaffId
    ? await deps.db.select().from(staff).where(eq(staff.id, assigneeStaffId))
    : [];
  return {
    reference: followUp.reference,
    assignee: assignee
      ? { role: "staff" as const, name: staffDisplayName(assignee) }
      : { role: "school" as const },
  };
}

// --- Staff side ------------------------------------------------------------------------------

/**
 * What a staff member may see, always within their school: a teacher their own tickets and those
 * of children in their classes; office staff their function's categories and their own; an admin
 * everything.
 */
function visibleTo(viewer: StaffViewer): SQL | undefined {
  const ownSchool = eq(tickets.schoolId, viewer.schoolId);
  if (viewer.role === "admin") return ownSchool;
  const assigned = eq(tickets.assigneeStaffId, viewer.staffId);
  if (viewer.role === "teacher") {
    const ofMyClasses = inArray(
      tickets.studentId,
      sql`(select ${students.id} from ${students} join ${classTeachers} on ${classTeachers.classId} = ${students.classId} where ${classTeachers.staffId} = ${viewer.staffId})`,
    );
    return and(ownSchool, or(assigned, ofMyClasses));
  }
  const categories = viewer.officeFunction ? categoriesOfOffice[viewer.officeFunction] : [];
  return and(
    ownSchool,
    or(assigned, categories.length ? inArray(tickets.category, categories) : undefined),
  );
}

export interface TicketListQuery {
  status?: TicketStatus;
  category?: TicketCategory;
  /** "me", "none" (unassigned), or a staff id. */
  assignee?: "me" | "none" | number;
  studentId?: number;
  guardianId?: number;
  classId?: number;
  createdFrom?: number;
  createdTo?: number;
  /** Words to find in the ticket's messages (notes included), each as a prefix. */
  q?: string;
  limit: number;
  /** Only tickets that did (true) or did not (false) breach the first-response SLA. */
  slaBreached?: boolean;
  sort: TicketSort;
  /** The sort values of the previous page's last ticket (decodeCursor). */
  after?: (number | string)[];
  /** "Now" for the SLA: a ticket not yet answered is breached once its due time has passed. */
  now: number;
}

const ticketSummaryColumns = {
  id: tickets.id,
  number: tickets.number,
  status: tickets.status,
  category: tickets.category,
  priority: tickets.priority,
  createdAt: tickets.createdAt,
  updatedAt: tickets.updatedAt,
  assigneeStaffId: tickets.assigneeStaffId,
  studentId: tickets.studentId,
  guardianId: tickets.guardianId,
  channel: tickets.channel,
  routingReason: tickets.routingReason,
  schoolId: tickets.schoolId,
  firstResponseAt: tickets.firstResponseAt,
  firstResponseDueAt: tickets.firstResponseDueAt,
  resolvedAt: tickets.resolvedAt,
  rating: tickets.rating,
  ratingComment: tickets.ratingComment,
  studentName: sql<string | null>`${students.firstName} || ' ' || ${students.lastName}`,
  className: classes.name,
  guardianName: sql<string>`${guardians.firstName} || ' ' || ${guardians.lastName}`,
};

export async function listTicketsForStaff(
  db: Database,
  viewer: StaffViewer,
  asked: TicketListQuery,
) {
  let query = asked;
  let filters = and(
    visibleTo(viewer),
    query.status ? eq(tickets.status, query.status) : undefined,
    query.assignee === undefined
      ? undefined
      : query.assignee === "none"
        ? isNull(tickets.assigneeStaffId)
        : eq(tickets.assigneeStaffId, query.assignee === "me" ? viewer.staffId : query.assignee),
    query.category ? eq(tickets.category, query.category) : undefined,
    query.studentId !== undefined ? eq(tickets.studentId, query.studentId) : undefined,
    query.guardianId !== undefined ? eq(tickets.guardianId, query.guardianId) : undefined,
    query.classId !== undefined ? eq(students.classId, query.classId) : undefined,
    query.createdFrom !== undefined ? gte(tickets.createdAt, query.createdFrom) : undefined,
    query.createdTo !== undefined ? lt(tickets.createdAt, query.createdTo) : undefined,
    query.slaBreached === undefined
      ? undefined
      : query.slaBreached
        ? slaBreachedCondition(query.now)
        : not(slaBreachedCondition(query.now)),
    query.after ? afterCursor(query.sort, query.after) : undefined,
  );
  // A reference ("T-1001") finds its ticket; other words search the messages.
  const reference = query.q?.trim().match(/^T-(\d+)$/i)?.[1];
  if (reference) {
    filters = and(filters, eq(tickets.number, Number(reference)));
    const { q: _reference, ...rest } = query;
    query = rest;
  }
  const expression = query.q ? searchExpression(query.q) : null;
  // Newest first with q (the usual search) walks the index and stops at a full page; any other
  // search, or one the walk cannot vouch for, takes the general query.
  const newest =
    query.q && expression && query.sort === "-created"
      ? await newestMatchingTicketIds(
          db,
          viewer.schoolId,
          expression,
          filters,
          (query.after as [number, number] | undefined) ?? null,
          query.limit + 1,
        )
      : null;
  const rows = await db
    .select(ticketSummaryColumns)
    .from(tickets)
    .innerJoin(guardians, eq(guardians.id, tickets.guardianId))
    .leftJoin(students, eq(students.id, tickets.studentId))
    .leftJoin(classes, eq(classes.id, students.classId))
    .where(
      newest
        ? inArray(tickets.id, newest.length ? newest : [0])
        : and(filters, query.q ? matchingTickets(expression) : undefined),
    )
    .orderBy(...orderByOf(query.sort))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    tickets: page.map((row) => presentSummary(row, query.now)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(query.sort, last) : null,
  };
}

function presentSummary(row: Awaited<ReturnType<typeof selectTicket>>[number], now: number) {
  return {
    id: row.id,
    reference: ticketReference(row.number),
    status: row.status,
    category: row.category,
    priority: row.priority,
    assigneeStaffId: row.assigneeStaffId,
    student: row.studentId
      ? { id: row.studentId, name: row.studentName ?? "", className: row.className ?? "" }
      : null,
    guardian: { id: row.guardianId, name: row.guardianName },
    channel: row.channel,
    routingReason: row.routingReason,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    firstResponseDueAt:
      row.firstResponseDueAt === null ? null : new Date(row.firstResponseDueAt).toISOString(),
    slaBreached: isSlaBreached(row, now),
    rating: row.rating,
    ratingComment: row.ratingComment,
  };
}

/** The id of the school's ticket with this id ("12") or reference ("T-1001"), if it has one. */
export async function ticketIdOf(
  db: Database,
  schoolId: number,
  idOrReference: string,
): Promise<number | null> {
  const reference = idOrReference.match(/^T-(\d+)$/i)?.[1];
  if (!reference) return Number(idOrReference);
  const [row] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.schoolId, schoolId), eq(tickets.number, Number(reference))));
  return row?.id ?? null;
}

function selectTicket(db: Database, viewer: StaffViewer, ticketId: number) {
  return db
    .select(ticketSummaryColumns)
    .from(tickets)
    .innerJoin(guardians, eq(guardians.id, tickets.guardianId))
    .leftJoin(students, eq(students.id, tickets.studentId))
    .leftJoin(classes, eq(classes.id, students.classId))
    .where(and(eq(tickets.id, ticketId), visibleTo(viewer)));
}

/** The ticket row, or null when it does not exist or the viewer may not see it. */
export async function findTicketForStaff(db: Database, viewer: StaffViewer, ticketId: number) {
  const [row] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), visibleTo(viewer)));
  return row ?? null;
}

/** The ticket with this school number, or null when there is none or the viewer may not see it. */
export async function findTicketForStaffByNumber(
  db: Database,
  viewer: StaffViewer,
  number: number,
) {
  const [row] = await db
    .select()
    .from(tickets)
    .where(
      and(eq(tickets.schoolId, viewer.schoolId), eq(tickets.number, number), visibleTo(viewer)),
    );
  return row ?? null;
}

/** The ticket with its thread, or null when it does not exist or the viewer may not see it. */
export async function getTicketForStaff(
  db: Database,
  viewer: StaffViewer,
  ticketId: number,
  now: number,
) {
  const [row] = await selectTicket(db, viewer, ticketId);
  if (!row) return null;
  const thread = await db
    .select({
      id: ticketMessages.id,
      authorType: ticketMessages.authorType,
      authorStaffId: ticketMessages.authorStaffId,
      body: ticketMessages.body,
      internal: ticketMessages.internal,
      attachments: ticketMessages.attachments,
      createdAt: ticketMessages.createdAt,
    })
    .from(ticketMessages)
    .where(eq(ticketMessages.ticketId, ticketId))
    .orderBy(asc(ticketMessages.id));
  const open = await db
    .select({ number: tickets.number })
    .from(tickets)
    .where(and(eq(tickets.guardianId, row.guardianId), inArray(tickets.status, OPEN_STATUSES)));
  const limits = await loadSchoolLimits(db, row.schoolId);
  return {
    ...presentSummary(row, now),
    messages: thread.map((message) => ({
      ...message,
      createdAt: new Date(message.createdAt).toISOString(),
    })),
    /** How close this guardian is to the open-ticket cap, as context for whoever answers. */
    guardrails: { openTickets: open.length, maxOpenTickets: limits.maxOpenTickets },
  };
}

/** The message.added event for the ticket's newest message, planned after that message's insert. */
function planMessageEvent(
  deps: ServiceDeps,
  uow: UnitOfWork,
  ticketId: number,
  message: { authorType: "parent" | "staff"; internal: boolean },
) {
  planTicketEvent(deps, uow, {
    type: "message.added",
    ticketId,
    detail: {
      messageId: sql`(select max(id) from ${ticketMessages} where ticket_id = ${ticketId})`,
      ...message,
    },
  });
}

/** Plans a staff member's message on a ticket; `id()` reads its row id after the commit. */
function planStaffMessage(
  deps: ServiceDeps,
  uow: UnitOfWork,
  viewer: StaffViewer,
  message: { ticketId: number; body: string; internal: boolean; now: number },
) {
  let id = 0;
  uow.planInsert(
    deps.db.insert(ticketMessages).values({
      schoolId: viewer.schoolId,
      ticketId: message.ticketId,
      authorType: "staff",
      authorStaffId: viewer.staffId,
      body: message.body,
      internal: message.internal,
      createdAt: message.now,
    }),
    (rowId) => {
      id = rowId;
    },
  );
  return { id: () => id };
}

/** A ticket row as findTicketForStaff returns it. */
type TicketRow = typeof tickets.$inferSelect;

/**
 * Plans a staff reply: the message, the ticket's move to waiting-for-parent (and its first-response
 * time), an outbox row to the parent's channel and the audit entry. Null when the author is gone.
 */
export async function planStaffReply(
  deps: ServiceDeps,
  uow: UnitOfWork,
  viewer: StaffViewer,
  ticket: TicketRow,
  body: string,
) {
  const [author] = await deps.db.select().from(staff).where(eq(staff.id, viewer.staffId));
  if (!author) return null;
  const now = deps.now();
  const ticketId = ticket.id;
  const message = planStaffMessage(deps, uow, viewer, { ticketId, body, internal: false, now });
  const nextStatus: TicketStatus = ticket.status === "closed" ? "closed" : "waiting_for_parent";
  uow.plan(
    deps.db
      .update(tickets)
      .set({ status: nextStatus, updatedAt: now, firstResponseAt: ticket.firstResponseAt ?? now })
      .where(eq(tickets.id, ticketId)),
  );
  planMessageEvent(deps, uow, ticketId, { authorType: "staff", internal: false });
  const reference = ticketReference(ticket.number);
  planOutboxMessage(deps, uow, {
    schoolId: viewer.schoolId,
    channel: ticket.channel,
    address: ticket.address,
    kind: "staff_reply",
    body: `${reference} · ${staffDisplayName(author)}: ${body}`,
    ticketId,
    carriesNewestTicketMessage: true,
  });
  planAudit(deps, uow, {
    schoolId: viewer.schoolId,
    actorType: "staff",
    actorId: viewer.staffId,
    action: "ticket.reply",
    entity: "ticket",
    entityId: String(ticketId),
    before: { status: ticket.status },
    after: { status: nextStatus },
  });
  return {
    id: message.id,
    ticketId,
    reference,
    status: nextStatus,
    createdAt: new Date(now).toISOString(),
  };
}

/** A staff reply from the API, committed on its own; null when the viewer may not see the ticket. */
export async function replyToTicket(
  deps: ServiceDeps,
  viewer: StaffViewer,
  ticketId: number,
  body: string,
) {
  const ticket = await findTicketForStaff(deps.db, viewer, ticketId);
  if (!ticket) return null;
  const uow = new UnitOfWork();
  const reply = await planStaffReply(deps, uow, viewer, ticket, body);
  if (!reply) return null;
  await uow.commit(deps.db);
  return { ...reply, id: reply.id() };
}

/** Plans an internal note: on the thread for staff, never sent to the parent; audited. */
export function planInternalNote(
  deps: ServiceDeps,
  uow: UnitOfWork,
  viewer: StaffViewer,
  ticketId: number,
  body: string,
) {
  const now = deps.now();
  const note = planStaffMessage(deps, uow, viewer, { ticketId, body, internal: true, now });
  uow.plan(deps.db.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, ticketId)));
  planMessageEvent(deps, uow, ticketId, { authorType: "staff", internal: true });
  planAudit(deps, uow, {
    schoolId: viewer.schoolId,
    actorType: "staff",
    actorId: viewer.staffId,
    action: "ticket.note",
    entity: "ticket",
    entityId: String(ticketId),
    after: { noteLength: body.length },
  });
  return {
    id: note.id,
    ticketId,
    internal: true as const,
    createdAt: new Date(now).toISOString(),
  };
}

/** An internal note from the API, committed on its own. */
export async function addInternalNote(
  deps: ServiceDeps,
  viewer: StaffViewer,
  ticketId: number,
  body: string,
) {
  const ticket = await findTicketForStaff(deps.db, viewer, ticketId);
  if (!ticket) return null;
  const uow = new UnitOfWork();
  const note = planInternalNote(deps, uow, viewer, ticketId, body);
  await uow.commit(deps.db);
  return { ...note, id: note.id() };
}
