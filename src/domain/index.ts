export { normalizePhone } from "./phone";
export { type RoutingDecision, type RoutingDirectory, routeTicket } from "./routing";
export { ticketReference } from "./tickets";
