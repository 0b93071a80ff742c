// Staff events (ticket.created, message.added, ticket.updated): a row in staff_events written by
// the same commit as the change, carrying what is needed to decide who may see it, so a stream
// can be resumed from the table without gaps and fanned out without a query per listener.
import { and, asc, eq, gt, SQL, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { UnitOfWork } from "../outbox/unit-of-work";
import type { ServiceDeps } from "./deps";
import { categoriesOfOffice, type StaffViewer } from "./staff-viewer";

const { staffEvents, tickets, students, classTeachers } = schema;

export type StaffEventType = "ticket.created" | "message.added" | "ticket.updated";
export type StaffEventRow = typeof staffEvents.$inferSelect;

/**
 * Plans the event for a ticket after the writes that change it (so it reads their result): who it
 * is assigned to, its category and its child's class are copied from the ticket as committed.
 */
export function planTicketEvent(
  deps: Pick<ServiceDeps, "db" | "now" | "eventsRecorded">,
  uow: UnitOfWork,
  event: {
    type: StaffEventType;
    ticketId: number | SQL;
    /** Extra payload fields; SQL values are read inside the commit (a new message's id). */
    detail?: Record<string, string | number | boolean | null | SQL | string[]>;
  },
): void {
  const extra = Object.entries(event.detail ?? {}).map(([key, value]) => {
    if (value instanceof SQL) return sql`${key}, ${value}`;
    if (typeof value === "boolean") return sql`${key}, json(${value ? "true" : "false"})`;
    if (Array.isArray(value)) return sql`${key}, json(${JSON.stringify(value)})`;
    return sql`${key}, ${value}`;
  });
  const payload = sql.join(
    [
      sql`json_object('ticketId', ${tickets.id}, 'reference', 'T-' || ${tickets.number}, 'status', ${tickets.status}, 'category', ${tickets.category}, 'priority', ${tickets.priority}, 'assigneeStaffId', ${tickets.assigneeStaffId}`,
      ...extra,
    ],
    sql`, `,
  );
  uow.plan(
    {
      run: () =>
        deps.db.run(sql`insert into ${staffEvents} (school_id, type, ticket_id, assignee_staff_id, category, class_id, payload, created_at)
          select ${tickets.schoolId}, ${event.type}, ${tickets.id}, ${tickets.assigneeStaffId}, ${tickets.category}, ${students.classId}, ${payload}), ${deps.now()}
          from ${tickets} left join ${students} on ${students.id} = ${tickets.studentId}
          where ${tickets.id} = ${event.ticketId}`),
    },
    { onCommitted: () => deps.eventsRecorded?.() },
  );
}

/** What a listener may see, loaded once when the stream opens (the same rules as the ticket list). */
export interface EventScope {
  viewer: StaffViewer;
  /** The classes a teacher teaches. */
  classIds: ReadonlySet<number>;
  categories: ReadonlySet<string>;
}

export async function loadEventScope(db: Database, viewer: StaffViewer): Promise<EventScope> {
  const taught =
    viewer.role === "teacher"
      ? await db
          .select({ classId: classTeachers.classId })
          .from(classTeachers)
          .where(eq(classTeachers.staffId, viewer.staffId))
      : [];
  const categories =
    viewer.role === "office" && viewer.officeFunction
      ? categoriesOfOffice[viewer.officeFunction]
      : [];
  return {
    viewer,
    classIds: new Set(taught.map((row) => row.classId)),
    categories: new Set(categories),
  };
}

/** visibleTo() of the ticket list, over the ticket as it was when the event happened. */
export function maySee(scope: EventScope, event: StaffEventRow): boolean {
  const { viewer } = scope;
  if (event.schoolId !== viewer.schoolId) return false;
  if (viewer.role === "admin" || event.assigneeStaffId === viewer.staffId) return true;
  if (viewer.role === "teacher") return event.classId !== null && scope.classIds.has(event.classId);
  return scope.categories.has(event.category);
}

/** The school's events after `afterId`, oldest first, one batch. */
export function eventsAfter(db: Database, schoolId: number, afterId: number, limit = 500) {
  return db
    .select()
    .from(staffEvents)
    .where(and(eq(staffEvents.schoolId, schoolId), gt(staffEvents.id, afterId)))
    .orderBy(asc(staffEvents.id))
    .limit(limit);
}

/** Every school's events after `afterId`, for the in-process fan-out. */
export function allEventsAfter(db: Database, afterId: number, limit = 1000) {
  return db
    .select()
    .from(staffEvents)
    .where(gt(staffEvents.id, afterId))
    .orderBy(asc(staffEvents.id))
    .limit(limit);
}

export async function lastEventId(db: Database): Promise<number> {
  const [row] = await db
    .select({ id: sql<number | null>`max(${staffEvents.id})` })
    .from(staffEvents);
  return row?.id ?? 0;
}
