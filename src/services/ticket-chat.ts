// Tickets worked from the staff chat: an answer (to a ticket by its reference, by replying to its
// alert, or as a plain text right after an alert), a note, resolve, take, and the member's open
// tickets. The same services as the staff API, with its permissions: a ticket the member may not
// see is refused and nothing is written. Answers and notes are planned into the chat step's own
// unit of work, so they commit with it (a redelivered message changes nothing twice).

import { preparedPerDatabase } from "../../db";
import type { TicketCommandResult, TicketRequest } from "../../flows/staff";
import { categoryLabel, waitPhrase, whoAbout } from "../domain";
import type { UnitOfWork } from "../outbox/unit-of-work";
import type { ConversationSignal, StepAddress } from "./conversation-signal";
import type { ServiceDeps } from "./deps";
import { activeStaffPrincipal } from "./directory";
import { myOpenTickets } from "./my-open-tickets";
import { loadAlertTicket } from "./staff-alerts";
import { loadStaffViewer, type StaffViewer } from "./staff-viewer";
import { applyTicketPatch } from "./ticket-changes";
import {
  findTicketForStaff,
  findTicketForStaffByNumber,
  planInternalNote,
  planStaffReply,
} from "./tickets";

/** How many tickets /tickets lists. */
export const TICKET_LIST_LIMIT = 15;

/**
 * The ticket of the latest alert this chat was sent, if it came after the member's last message
 * here (the message being answered is not recorded yet): a plain text then answers it.
 */
const lastAlertStatement = preparedPerDatabase((db) =>
  db.$client.prepare<{ channel: string; address: string }, { ticketId: number }>(
    `select o.ticket_id as ticketId from outbox o
      where o.channel = @channel and o.address = @address and o.kind = 'alert'
        and o.ticket_id is not null
        and o.created_at > coalesce((select max(i.received_at) from inbound_messages i
              where i.channel = @channel and i.address = @address), 0)
      order by o.id desc limit 1`,
  ),
);

/** The ticket an alert we sent to this chat was about, by the provider's id of that alert. */
const alertByProviderIdStatement = preparedPerDatabase((db) =>
  db.$client.prepare<{ channel: string; address: string; id: string }, { number: number }>(
    `select t.number from outbox o join tickets t on t.id = o.ticket_id
      where o.channel = @channel and o.provider_message_id = @id and o.address = @address
        and o.kind = 'alert'`,
  ),
);

/** The reference of the ticket whose alert `replyTo` names, or null when it names none. */
export function alertReferenceOf(
  deps: Pick<ServiceDeps, "db">,
  here: StepAddress,
  replyTo: string,
): string | null {
  const row = alertByProviderIdStatement(deps.db).get({ ...here, id: replyTo });
  return row ? `T-${row.number}` : null;
}

const inactive: TicketCommandResult = {
  status: "refused",
  reason: "inactive",
  message: "staff inactive",
};

async function viewerOf(deps: ServiceDeps, staffId: number): Promise<StaffViewer | null> {
  const principal = await activeStaffPrincipal(deps.db, staffId);
  return principal ? loadStaffViewer(deps.db, staffId, principal.schoolId) : null;
}

export interface TicketChatContext {
  uow: UnitOfWork;
  here: StepAddress;
  conversations: ConversationSignal;
}

export async function runTicketRequest(
  deps: ServiceDeps,
  step: TicketChatContext,
  request: TicketRequest,
): Promise<TicketCommandResult> {
  const viewer = await viewerOf(deps, request.staffId);
  if (!viewer) return inactive;
  if (request.action === "list") {
    const lines = myOpenTickets(deps.db, viewer.staffId, deps.now(), TICKET_LIST_LIMIT);
    return {
      status: "listed",
      items: lines.map((line) => ({
        reference: line.reference,
        about: whoAbout(line),
        category: categoryLabel(line.category),
        wait: waitPhrase(line),
      })),
    };
  }
  if (request.action === "answer-last-alert") {
    const last = lastAlertStatement(deps.db).get(step.here);
    if (!last) return { status: "no_alert" };
    const ticket = await findTicketForStaff(deps.db, viewer, last.ticketId);
    const alerted = await loadAlertTicket(deps, last.ticketId);
    if (!ticket || !alerted) return { status: "not_visible", reference: alerted?.reference ?? "" };
    return answer(deps, step, viewer, ticket, request.text, true);
  }
  const { action, reference, text } = request;
  if (!reference || ((action === "reply" || action === "note") && !text)) {
    return { status: "usage", action };
  }
  const ticket = await findTicketForStaffByNumber(deps.db, viewer, Number(reference.slice(2)));
  if (!ticket) return { status: "not_visible", reference };
  switch (action) {
    case "reply":
      return answer(deps, step, viewer, ticket, text, false);
    case "note":
      planInternalNote(deps, step.uow, viewer, ticket.id, text);
      return { status: "noted", reference };
    case "resolve":
      return resolve(deps, step, viewer, ticket, reference);
    case "take":
      return take(deps, step, viewer, ticket, reference);
  }
}

type TicketRow = NonNullable<Awaited<ReturnType<typeof findTicketForStaff>>>;

async function answer(
  deps: ServiceDeps,
  step: TicketChatContext,
  viewer: StaffViewer,
  ticket: TicketRow,
  text: string,
  lastAlert: boolean,
): Promise<TicketCommandResult> {
  const reply = await planStaffReply(deps, step.uow, viewer, ticket, text);
  const alerted = await loadAlertTicket(deps, ticket.id);
  if (!reply || !alerted) return inactive;
  return {
    status: "replied",
    reference: reply.reference,
    guardian: alerted.guardianName,
    lastAlert,
  };
}

async function resolve(
  deps: ServiceDeps,
  step: TicketChatContext,
  viewer: StaffViewer,
  ticket: TicketRow,
  reference: string,
): Promise<TicketCommandResult> {
  // Resolving asks the parent's conversation to rate; that conversation is this very chat only
  // when a member resolves their own request as a parent, which the chat's own step can't wait on.
  if (ticket.channel === step.here.channel && ticket.address === step.here.address) {
    return { status: "not_now", reference, message: "resolve your own request on the desk." };
  }
  if (ticket.status === "resolved") {
    return { status: "not_now", reference, message: "it is resolved already." };
  }
  const outcome = await applyTicketPatch(deps, step.conversations, viewer, ticket, {
    status: "resolved",
  });
  if (outcome.ok) return { status: "resolved", reference };
  switch (outcome.reason) {
    case "illegal_transition":
      return {
        status: "not_now",
        reference,
        message: `it is ${outcome.from.replaceAll("_", " ")} and can't be resolved.`,
      };
    case "conflict":
      return { status: "not_now", reference, message: "someone changed it just now; try again." };
    case "unknown_assignee":
      return inactive;
  }
}

async function take(
  deps: ServiceDeps,
  step: TicketChatContext,
  viewer: StaffViewer,
  ticket: TicketRow,
  reference: string,
): Promise<TicketCommandResult> {
  if (ticket.assigneeStaffId === viewer.staffId) return { status: "taken", reference };
  const outcome = await applyTicketPatch(deps, step.conversations, viewer, ticket, {
    assigneeStaffId: viewer.staffId,
  });
  return outcome.ok ? { status: "taken", reference } : inactive;
}
