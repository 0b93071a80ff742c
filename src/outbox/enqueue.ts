// Plans outbox rows inside a unit of work: every outgoing message is a row before it is a call.
import { schema } from "../../db";
import type { OutboxKind } from "../../db/schema";
import type { ReplyOption } from "../contracts";
import type { ServiceDeps } from "../services/deps";
import type { UnitOfWork } from "../services/unit-of-work";

export interface OutboxDraft {
  schoolId: number | null;
  channel: string;
  address: string;
  kind: OutboxKind;
  /** Text to send; may hold placeholders such as {code} whose values travel sealed. */
  body: string;
  options?: ReplyOption[];
  /** Secret placeholder values, encrypted at rest and erased once sent. */
  secretValues?: Record<string, string>;
  ticketId?: number;
}

/** Plans one outbox row; its id joins `uow.outboxIds` once committed. */
export function planOutboxMessage(
  deps: Pick<ServiceDeps, "db" | "secrets" | "now">,
  uow: UnitOfWork,
  draft: OutboxDraft,
): void {
  const now = deps.now();
  const query = deps.db.insert(schema.outbox).values({
    schoolId: draft.schoolId,
    channel: draft.channel,
    address: draft.address,
    kind: draft.kind,
    body: draft.body,
    options: draft.options?.length ? draft.options : null,
    sealed: draft.secretValues ? deps.secrets.seal(JSON.stringify(draft.secretValues)) : null,
    status: "pending",
    nextAttemptAt: now,
    ticketId: draft.ticketId ?? null,
    createdAt: now,
    updatedAt: now,
  });
  uow.planInsert(query, (id) => uow.outboxIds.push(id));
}

/** Fills {placeholders} in an outbox body from its unsealed values. */
export function fillPlaceholders(body: string, values: Record<string, string>): string {
  return body.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
