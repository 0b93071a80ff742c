// Staff changes to a ticket (status, assignee, category, priority) as one atomic write with one
// audit entry per field. Resolving goes through the parent's conversation, which asks them to rate.
import { and, eq } from "drizzle-orm";
import { schema, WriteConflict } from "../../db";
import {
  allowedStaffMoves,
  canStaffMoveTicket,
  routeTicket,
  type TicketCategory,
  type TicketStatus,
  ticketReference,
} from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ConversationSignal } from "./conversation-signal";
import type { ServiceDeps } from "./deps";
import { loadGuardianProfile, loadRoutingDirectory, staffDisplayName } from "./directory";
import { prepareHandoverAlerts } from "./handover-alerts";
import { dueTimeFor } from "./sla";
import { planTicketEvent } from "./staff-events";
import type { StaffViewer } from "./staff-viewer";
import { planStaffStatusChange } from "./ticket-lifecycle";

const { tickets, staff, students } = schema;

export interface TicketPatch {
  status?: TicketStatus;
  assigneeStaffId?: number;
  category?: TicketCategory;
  priority?: "normal" | "urgent";
}

export type TicketPatchOutcome =
  | { ok: true }
  | {
      ok: false;
      reason: "illegal_transition";
      from: TicketStatus;
      to: TicketStatus;
      allowed: readonly TicketStatus[];
    }
  | { ok: false; reason: "unknown_assignee" }
  | { ok: false; reason: "conflict" };

type TicketRow = typeof tickets.$inferSelect;

export async function applyTicketPatch(
  deps: ServiceDeps,
  conversations: ConversationSignal,
  viewer: StaffViewer,
  ticket: TicketRow,
  patch: TicketPatch,
): Promise<TicketPatchOutcome> {
  const to = patch.status;
  const statusChanges = to !== undefined && to !== ticket.status;
  if (statusChanges && !canStaffMoveTicket(ticket.status, to)) {
    return {
      ok: false,
      reason: "illegal_transition",
      from: ticket.status,
      to,
      allowed: allowedStaffMoves(ticket.status),
    };
  }
  const fields: Partial<TicketRow> = {};
  if (patch.priority && patch.priority !== ticket.priority) fields.priority = patch.priority;
  if (patch.category && patch.category !== ticket.category) {
    // A new category re-routes the ticket, as if the parent had chosen it.
    const profile = await loadGuardianProfile(deps.db, ticket.guardianId);
    const [student] = ticket.studentId
      ? await deps.db
          .select({ classId: students.classId })
          .from(students)
          .where(eq(students.id, ticket.studentId))
      : [];
    const directory = await loadRoutingDirectory(
      deps.db,
      ticket.schoolId,
      student?.classId ?? null,
    );
    // Priority does not re-route: "urgent → front office" is the parent's "talk to a person".
    const route = routeTicket(patch.category, directory, { flagged: profile?.flagged ?? false });
    Object.assign(fields, {
      category: patch.category,
      assigneeStaffId: route.staffId,
      routingReason: route.reason,
    });
  }
  if (patch.assigneeStaffId !== undefined && patch.assigneeStaffId !== ticket.assigneeStaffId) {
    const [assignee] = await deps.db
      .select({ id: staff.id })
      .from(staff)
      .where(
        and(
          eq(staff.id, patch.assigneeStaffId),
          eq(staff.schoolId, viewer.schoolId),
          eq(staff.active, true),
        ),
      );
    if (!assignee) return { ok: false, reason: "unknown_assignee" };
    Object.assign(fields, { assigneeStaffId: assignee.id, routingReason: "assigned by staff" });
  }

  // The SLA follows the priority: an urgent ticket is due sooner, counted from its creation.
  const derived: Partial<TicketRow> = fields.priority
    ? {
        firstResponseDueAt: await dueTimeFor(
          deps.db,
          ticket.schoolId,
          fields.priority,
          ticket.createdAt,
        ),
      }
    : {};
  const now = deps.now();
  const planHandoverAlerts =
    fields.assigneeStaffId !== undefined && fields.assigneeStaffId !== ticket.assigneeStaffId
      ? await prepareHandoverAlerts(deps, {
          ticketId: ticket.id,
          schoolId: ticket.schoolId,
          from: ticket.assigneeStaffId,
          to: fields.assigneeStaffId,
          category: fields.category ?? ticket.category,
          byStaffId: viewer.staffId,
        })
      : null;
  const planChanges = (uow: UnitOfWork) => {
    if (Object.keys(fields).length > 0) {
      uow.plan(
        deps.db
          .update(tickets)
          .set({ ...fields, ...derived, updatedAt: now })
          .where(eq(tickets.id, ticket.id)),
      );
      for (const [field, value] of Object.entries(fields)) {
        planAudit(deps, uow, {
          schoolId: viewer.schoolId,
          actorType: "staff",
          actorId: viewer.staffId,
          action: `ticket.${field}`,
          entity: "ticket",
          entityId: String(ticket.id),
          before: { [field]: ticket[field as keyof TicketRow] },
          after: { [field]: value },
        });
      }
    }
    planHandoverAlerts?.(uow);
    if (statusChanges) {
      planStaffStatusChange(deps, uow, {
        ticketId: ticket.id,
        schoolId: viewer.schoolId,
        staffId: viewer.staffId,
        from: ticket.status,
        to,
      });
    }
    const changes = [...Object.keys(fields), ...(statusChanges ? ["status"] : [])].filter(
      (field) => field !== "routingReason",
    );
    if (changes.length)
      planTicketEvent(deps, uow, {
        type: "ticket.updated",
        ticketId: ticket.id,
        detail: { changes },
      });
  };

  try {
    if (statusChanges && to === "resolved") {
      const [author] = await deps.db.select().from(staff).where(eq(staff.id, viewer.staffId));
      await conversations.signal(
        { channel: ticket.channel, address: ticket.address },
        {
          type: "ticket.resolved",
          reference: ticketReference(ticket.number),
          by: author ? staffDisplayName(author) : "The school",
        },
        planChanges,
      );
    } else {
      const uow = new UnitOfWork();
      planChanges(uow);
      await uow.commit(deps.db);
    }
  } catch (error) {
    if (error instanceof WriteConflict && error.guard === "ticket-status")
      return { ok: false, reason: "conflict" };
    throw error;
  }
  if (planHandoverAlerts) deps.outboxQueued?.();
  return { ok: true };
}
