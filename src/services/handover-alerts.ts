// Alerts for a ticket that changes hands (an assignment, a re-route by topic, a /take): its new
// holder and the rest of the new holder's office hear of it, through the same road as a new
// ticket's alert, planned into the unit of work of the change itself.
import { eq } from "drizzle-orm";
import { schema } from "../../db";
import { handoverAlert, quotedWords } from "../domain";
import type { UnitOfWork } from "../outbox/unit-of-work";
import type { ServiceDeps } from "./deps";
import { staffDisplayName } from "./directory";
import {
  alertRecipients,
  chatsToAlertNow,
  latestParentMessage,
  loadAlertTicket,
  planTicketAlerts,
} from "./staff-alerts";

const { staff } = schema;

export interface Handover {
  ticketId: number;
  schoolId: number;
  from: number | null;
  to: number | null;
  /** The ticket's topic after the change (a re-route changes it in the same write). */
  category: string;
  /** The member making the change: never alerted to their own move. */
  byStaffId: number;
}

/**
 * Works out who to tell of a handover, and returns how to plan their alerts into the change's
 * unit of work (null when nobody is to hear now). The new holder hears unless they made the change; the others who see the ticket
 * only now (the new holder's office, or the admins when nobody holds it) hear too; whoever saw it
 * before has had its alerts already. Quiet hours and alert settings hold alerts as for a new
 * ticket: the morning summary lists the ticket then.
 */
export async function prepareHandoverAlerts(
  deps: Pick<ServiceDeps, "db" | "secrets" | "now">,
  handover: Handover,
): Promise<((uow: UnitOfWork) => void) | null> {
  const now = deps.now();
  const { schoolId, to, byStaffId } = handover;
  if (to === byStaffId) return null;
  const before = new Set(
    alertRecipients(deps, schoolId, handover.from, now).map((recipient) => recipient.staffId),
  );
  const audience = alertRecipients(deps, schoolId, to, now).filter(
    (recipient) => recipient.staffId !== byStaffId,
  );
  const holder = audience.filter((recipient) => recipient.staffId === to);
  const others = audience.filter(
    (recipient) => recipient.staffId !== to && !before.has(recipient.staffId),
  );
  const holderChats = await chatsToAlertNow(deps, schoolId, holder, now);
  const otherChats = await chatsToAlertNow(deps, schoolId, others, now);
  if (holderChats.length === 0 && otherChats.length === 0) return null;

  const loaded = await loadAlertTicket(deps, handover.ticketId);
  if (!loaded) return null;
  const ticket = { ...loaded, category: handover.category };
  const nameOf = async (staffId: number | null) => {
    if (staffId === null) return null;
    const [member] = await deps.db.select().from(staff).where(eq(staff.id, staffId));
    return member ? staffDisplayName(member) : null;
  };
  const by = (await nameOf(byStaffId)) ?? "A colleague";
  const holderName = (await nameOf(to)) ?? "nobody yet";
  const lastMessage = latestParentMessage(deps.db).get({ ticket: handover.ticketId })?.body ?? null;
  const target = { schoolId, ticket: { id: handover.ticketId } };
  const quoted = lastMessage ? [quotedWords(lastMessage)] : undefined;
  return (uow) => {
    planTicketAlerts(
      deps,
      uow,
      target,
      holderChats,
      handoverAlert(ticket, { by, to: "you", lastMessage }),
      quoted,
    );
    planTicketAlerts(
      deps,
      uow,
      target,
      otherChats,
      handoverAlert(ticket, { by, to: holderName, lastMessage }),
      quoted,
    );
  };
}
