export { type DispatcherOptions, OutboxDispatcher } from "./dispatcher";
export { type OutboxDraft, planOutboxMessage } from "./enqueue";
export { fillPlaceholders } from "./outbound-message";
