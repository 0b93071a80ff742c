// Plans outbox rows inside a unit of work: every outgoing message is a row before it is a call.
import { sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
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

const p = (name: string) => sql.placeholder(name);

/** The outbox insert, built once per database: every step queues at least one row. */
function prepareInsert(db: Database) {
  return db
    .insert(schema.outbox)
    .values({
      schoolId: p("schoolId"),
      channel: p("channel"),
      address: p("address"),
      kind: p("kind"),
      body: p("body"),
      // Raw, so a missing list is SQL NULL (the JSON encoder would store the text "null").
      options: sql`${p("options")}`,
      sealed: p("sealed"),
      status: "pending",
      nextAttemptAt: p("now"),
      ticketId: p("ticketId"),
      createdAt: p("now"),
      updatedAt: p("now"),
    })
    .prepare();
}

const preparedInserts = new WeakMap<Database, ReturnType<typeof prepareInsert>>();

/** Plans one outbox row; its id joins `uow.outboxIds` once committed. */
export function planOutboxMessage(
  deps: Pick<ServiceDeps, "db" | "secrets" | "now">,
  uow: UnitOfWork,
  draft: OutboxDraft,
): void {
  let insert = preparedInserts.get(deps.db);
  if (!insert) {
    insert = prepareInsert(deps.db);
    preparedInserts.set(deps.db, insert);
  }
  const values = {
    schoolId: draft.schoolId,
    channel: draft.channel,
    address: draft.address,
    kind: draft.kind,
    body: draft.body,
    options: draft.options?.length ? JSON.stringify(draft.options) : null,
    sealed: draft.secretValues ? deps.secrets.seal(JSON.stringify(draft.secretValues)) : null,
    ticketId: draft.ticketId ?? null,
    now: deps.now(),
  };
  const prepared = insert;
  uow.planInsert({ run: () => prepared.run(values) }, (id) => uow.outboxIds.push(id));
}

/** Fills {placeholders} in an outbox body from its unsealed values. */
export function fillPlaceholders(body: string, values: Record<string, string>): string {
  return body.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
