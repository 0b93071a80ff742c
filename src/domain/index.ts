export {
  canOpenTicket,
  canReopen,
  DEFAULT_LIMITS,
  FLOOD_WINDOW_MS,
  type GuardrailLimits,
  guardrailLimitsSchema,
  isFlooding,
  limitsFromSettings,
  type NewTicketVerdict,
  type ReopenVerdict,
  type TicketHistory,
  WEEK_MS,
} from "./guardrails";
export { allowedStaffMoves, canStaffMoveTicket } from "./lifecycle";
export { normalizePhone } from "./phone";
export { type RoutingDecision, type RoutingDirectory, routeTicket } from "./routing";
export {
  DEFAULT_SLA,
  firstResponseDueAt,
  type SlaPolicy,
  slaFromSettings,
  slaSettingsSchema,
} from "./sla";
export { ticketReference } from "./tickets";
