// Status changes over a ticket's life: staff moving it along (checked against the lifecycle
// table), the parent rating a resolved ticket, and the parent reopening one within the guardrail.
import { and, eq, isNull, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { canReopen, canStaffMoveTicket, type TicketStatus } from "../domain";
import type { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";
import { loadSchoolLimits } from "./guardrails";
import { planTicketEvent } from "./staff-events";

const { tickets } = schema;

const numberOf = (reference: string) => Number(reference.replace(/^T-/, ""));

async function findGuardianTicket(db: Database, guardianId: number, reference: string) {
  const [ticket] = await db
    .select()
    .from(tickets)
    .where(and(eq(tickets.guardianId, guardianId), eq(tickets.number, numberOf(reference))));
  return ticket ?? null;
}

export type StatusChangeResult =
  | { ok: true; from: TicketStatus; to: TicketStatus }
  | { ok: false; reason: "illegal_transition"; from: TicketStatus; to: TicketStatus };

/**
 * Plans a staff status change and its audit entry. The update is guarded on the status it was
 * read in, so two staff racing on one ticket cannot both move it.
 */
export function planStaffStatusChange(
  deps: Pick<ServiceDeps, "db" | "now">,
  uow: UnitOfWork,
  change: {
    ticketId: number;
    schoolId: number;
    staffId: number;
    from: TicketStatus;
    to: TicketStatus;
  },
): StatusChangeResult {
  const { from, to } = change;
  if (!canStaffMoveTicket(from, to)) return { ok: false, reason: "illegal_transition", from, to };
  const now = deps.now();
  uow.plan(
    deps.db
      .update(tickets)
      .set({
        status: to,
        updatedAt: now,
        // A new resolution time is counted in working hours by the next report.
        ...(to === "resolved" ? { resolvedAt: now, resolutionWorkingMs: null } : {}),
      })
      .where(and(eq(tickets.id, change.ticketId), eq(tickets.status, from))),
    { guard: "ticket-status" },
  );
  planAudit(deps, uow, {
    schoolId: change.schoolId,
    actorType: "staff",
    actorId: change.staffId,
    action: "ticket.status",
    entity: "ticket",
    entityId: String(change.ticketId),
    before: { status: from },
    after: { status: to },
  });
  return { ok: true, from, to };
}

/** Stores the parent's 1–5 rating of a resolved ticket (the first rating counts). */
export async function planRating(
  deps: Pick<ServiceDeps, "db" | "now">,
  uow: UnitOfWork,
  rating: { guardianId: number; reference: string; rating: number },
) {
  if (!Number.isInteger(rating.rating) || rating.rating < 1 || rating.rating > 5) {
    throw new Error(`rating out of range: ${rating.rating}`);
  }
  const ticket = await findGuardianTicket(deps.db, rating.guardianId, rating.reference);
  if (!ticket) throw new Error(`no ticket ${rating.reference} for guardian ${rating.guardianId}`);
  uow.plan(
    deps.db
      .update(tickets)
      .set({ rating: rating.rating })
      .where(and(eq(tickets.id, ticket.id), isNull(tickets.rating))),
  );
  planAudit(deps, uow, {
    schoolId: ticket.schoolId,
    actorType: "guardian",
    actorId: rating.guardianId,
    action: "ticket.rate",
    entity: "ticket",
    entityId: String(ticket.id),
    after: { rating: rating.rating },
  });
  return { rating: rating.rating };
}

/**
 * What a parent wrote at the rating prompt instead of a number: kept on the ticket (shown with the
 * rating) and in its thread, so staff read it; audited like the rating.
 */
export async function planRatingComment(
  deps: Pick<ServiceDeps, "db" | "now">,
  uow: UnitOfWork,
  comment: { guardianId: number; reference: string; text: string },
) {
  const ticket = await findGuardianTicket(deps.db, comment.guardianId, comment.reference);
  if (!ticket) throw new Error(`no ticket ${comment.reference} for guardian ${comment.guardianId}`);
  const joined = ticket.ratingComment ? `${ticket.ratingComment}\n${comment.text}` : comment.text;
  uow.plan(deps.db.update(tickets).set({ ratingComment: joined }).where(eq(tickets.id, ticket.id)));
  uow.plan(
    deps.db.insert(schema.ticketMessages).values({
      schoolId: ticket.schoolId,
      ticketId: ticket.id,
      authorType: "parent",
      body: comment.text,
      attachments: [],
      createdAt: deps.now(),
    }),
  );
  planAudit(deps, uow, {
    schoolId: ticket.schoolId,
    actorType: "guardian",
    actorId: comment.guardianId,
    action: "ticket.rating_comment",
    entity: "ticket",
    entityId: String(ticket.id),
    after: { comment: comment.text },
  });
  return { reference: comment.reference };
}

export type ReopenOutcome =
  | { status: "reopened"; reference: string }
  | { status: "refused"; rule: "reopen_limit" | "reopen_window"; limit: number };

/** Reopens a resolved ticket if the school's reopen guardrail allows (guarded on the count read). */
export async function planReopen(
  deps: Pick<ServiceDeps, "db" | "now" | "eventsRecorded">,
  uow: UnitOfWork,
  request: { guardianId: number; reference: string },
): Promise<ReopenOutcome> {
  const ticket = await findGuardianTicket(deps.db, request.guardianId, request.reference);
  if (ticket?.status !== "resolved") throw new Error(`ticket ${request.reference} is not resolved`);
  const limits = await loadSchoolLimits(deps.db, ticket.schoolId);
  const now = deps.now();
  const verdict = canReopen(limits, ticket, now);
  if (!verdict.allowed) return { status: "refused", rule: verdict.rule, limit: verdict.limit };
  uow.plan(
    deps.db
      .update(tickets)
      .set({
        status: "open",
        reopenCount: sql`${tickets.reopenCount} + 1`,
        resolvedAt: null,
        resolutionWorkingMs: null,
        updatedAt: now,
      })
      .where(
        and(
          eq(tickets.id, ticket.id),
          eq(tickets.status, "resolved"),
          eq(tickets.reopenCount, ticket.reopenCount),
        ),
      ),
    { guard: "ticket-reopen" },
  );
  planAudit(deps, uow, {
    schoolId: ticket.schoolId,
    actorType: "guardian",
    actorId: request.guardianId,
    action: "ticket.reopen",
    entity: "ticket",
    entityId: String(ticket.id),
    before: { status: "resolved", reopenCount: ticket.reopenCount },
    after: { status: "open", reopenCount: ticket.reopenCount + 1 },
  });
  planTicketEvent(deps, uow, {
    type: "ticket.updated",
    ticketId: ticket.id,
    detail: { changes: ["status"] },
  });
  return { status: "reopened", reference: request.reference };
}
