export { type DispatcherOptions, OutboxDispatcher } from "./dispatcher";
export { fillPlaceholders, type OutboxDraft, planOutboxMessage } from "./enqueue";
