// Dead letters: outbox rows that could not be delivered (retries exhausted, refused for good, no
// fallback), listed for staff with the reason, and put back in the queue by a staff retry.
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import { schema } from "../../db";
import type { OutboxStatus } from "../../db/schema";
import { isOptedOut } from "../outbox/opt-outs";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { outbox } = schema;

/** The statuses a staff member may send again: given up on, or failed at the provider. */
export const RETRYABLE_STATUSES: OutboxStatus[] = ["dead", "failed", "undelivered"];

export interface OutboxListQuery {
  status: OutboxStatus;
  limit: number;
  /** Rows with a smaller id than this (the previous page's last). */
  before?: number;
}

export async function listOutbox(deps: ServiceDeps, schoolId: number, query: OutboxListQuery) {
  const rows = await deps.db
    .select({
      id: outbox.id,
      channel: outbox.channel,
      address: outbox.address,
      kind: outbox.kind,
      body: outbox.body,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      ticketId: outbox.ticketId,
      announcementId: outbox.announcementId,
      createdAt: outbox.createdAt,
      updatedAt: outbox.updatedAt,
    })
    .from(outbox)
    .where(
      and(
        eq(outbox.schoolId, schoolId),
        eq(outbox.status, query.status),
        query.before ? lt(outbox.id, query.before) : undefined,
      ),
    )
    .orderBy(desc(outbox.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > query.limit && last ? String(last.id) : null };
}

export type RetryResult =
  | { ok: true }
  | { ok: false; status: 404 | 409; code: string; message: string };

/** Puts one of the school's undelivered rows back in the queue, due now, attempts reset; audited. */
export async function retryOutboxRow(
  deps: ServiceDeps,
  actor: { staffId: number; schoolId: number },
  id: number,
): Promise<RetryResult> {
  const [row] = await deps.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.id, id), eq(outbox.schoolId, actor.schoolId)));
  if (!row) return { ok: false, status: 404, code: "not_found", message: "No such message" };
  if (!RETRYABLE_STATUSES.includes(row.status))
    return {
      ok: false,
      status: 409,
      code: "not_retryable",
      message: `Only undelivered messages can be sent again; this one is ${row.status}`,
    };
  if (row.kind === "otp")
    return {
      ok: false,
      status: 409,
      code: "not_retryable",
      message: "A one-time code is never sent twice; the person can ask for a new one",
    };
  if (row.kind !== "opt_out" && (await isOptedOut(deps.db, row)))
    return {
      ok: false,
      status: 409,
      code: "opted_out",
      message: "The recipient has opted out of messages on this channel",
    };
  const now = deps.now();
  const uow = new UnitOfWork();
  uow.plan(
    deps.db
      .update(outbox)
      .set({ status: "pending", attempts: 0, nextAttemptAt: now, updatedAt: now })
      .where(and(eq(outbox.id, id), inArray(outbox.status, RETRYABLE_STATUSES))),
    { guard: "outbox-retry" },
  );
  planAudit(deps, uow, {
    schoolId: actor.schoolId,
    actorType: "staff",
    actorId: actor.staffId,
    action: "outbox.retry",
    entity: "outbox",
    entityId: String(id),
    before: { status: row.status, attempts: row.attempts, lastError: row.lastError },
    after: { status: "pending" },
  });
  await uow.commit(deps.db);
  deps.outboxQueued?.();
  return { ok: true };
}
