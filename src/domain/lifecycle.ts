// The ticket lifecycle: which status changes staff may make. Reopening a resolved ticket is the
// parent's to do, through the conversation, within the reopen guardrail.

export const ticketStatuses = [
  "open",
  "in_progress",
  "waiting_for_parent",
  "resolved",
  "closed",
] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

const staffTransitions: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ["in_progress", "waiting_for_parent", "resolved"],
  in_progress: ["waiting_for_parent", "resolved"],
  waiting_for_parent: ["in_progress", "resolved"],
  resolved: ["closed"],
  closed: [],
};

export function canStaffMoveTicket(from: TicketStatus, to: TicketStatus): boolean {
  return staffTransitions[from].includes(to);
}

export function allowedStaffMoves(from: TicketStatus): readonly TicketStatus[] {
  return staffTransitions[from];
}
