// What the desk shows around tickets beyond GET /v1/tickets: each ticket's last message, what a
// member has not read yet, the delivery state of replies and the history of changes. Each is one
// query for a whole page of tickets.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { OutboxStatus } from "../../db/schema";

const { ticketMessages, ticketReads, outbox, staffEvents } = schema;

/** The newest message of each ticket (notes included, marked), by ticket id. */
export async function lastMessages(db: Database, ticketIds: readonly number[]) {
  if (ticketIds.length === 0)
    return new Map<number, { body: string; internal: boolean; authorType: string }>();
  const rows = await db
    .select({
      ticketId: ticketMessages.ticketId,
      body: ticketMessages.body,
      internal: ticketMessages.internal,
      authorType: ticketMessages.authorType,
    })
    .from(ticketMessages)
    .where(
      inArray(
        ticketMessages.id,
        db
          .select({ id: sql<number>`max(${ticketMessages.id})` })
          .from(ticketMessages)
          .where(inArray(ticketMessages.ticketId, [...ticketIds]))
          .groupBy(ticketMessages.ticketId),
      ),
    );
  return new Map(rows.map(({ ticketId, ...message }) => [ticketId, message]));
}

/** When the member last opened each of these tickets (absent: never). */
export async function readMarks(db: Database, staffId: number, ticketIds: readonly number[]) {
  if (ticketIds.length === 0) return new Map<number, number>();
  const rows = await db
    .select({ ticketId: ticketReads.ticketId, readAt: ticketReads.readAt })
    .from(ticketReads)
    .where(and(eq(ticketReads.staffId, staffId), inArray(ticketReads.ticketId, [...ticketIds])));
  return new Map(rows.map((row) => [row.ticketId, row.readAt]));
}

/** Records that the member has seen the ticket as it is now. */
export async function markRead(db: Database, staffId: number, ticketId: number, now: number) {
  await db
    .insert(ticketReads)
    .values({ staffId, ticketId, readAt: now })
    .onConflictDoUpdate({
      target: [ticketReads.staffId, ticketReads.ticketId],
      set: { readAt: now },
    });
}

/**
 * The delivery state of each staff reply, by message id: the newest outbox row carrying it (a
 * fallback to another channel is a new row carrying the same message; a retry re-sends its row).
 * A reply without a row (sent before replies were linked) has no state.
 */
export async function replyDeliveries(
  db: Database,
  ticketId: number,
  replyIds: readonly number[],
): Promise<Map<number, { status: OutboxStatus; channel: string; lastError: string | null }>> {
  if (replyIds.length === 0) return new Map();
  const rows = await db
    .select({
      messageId: outbox.ticketMessageId,
      status: outbox.status,
      channel: outbox.channel,
      lastError: outbox.lastError,
    })
    .from(outbox)
    .where(and(eq(outbox.ticketId, ticketId), inArray(outbox.ticketMessageId, [...replyIds])))
    .orderBy(asc(outbox.id));
  // Oldest first, so each reply ends on its newest row.
  return new Map(rows.map(({ messageId, ...state }) => [messageId ?? 0, state]));
}

/** A ticket.updated event: which fields changed, and the ticket's values after the change. */
interface TicketChangePayload {
  changes?: string[];
  status: string;
  category: string;
  priority: string;
  assigneeStaffId: number | null;
}

/** The ticket's recorded changes (status, assignee, category, priority), oldest first. */
export async function ticketChanges(db: Database, ticketId: number, limit = 200) {
  const rows = await db
    .select({ id: staffEvents.id, payload: staffEvents.payload, createdAt: staffEvents.createdAt })
    .from(staffEvents)
    .where(and(eq(staffEvents.ticketId, ticketId), eq(staffEvents.type, "ticket.updated")))
    .orderBy(desc(staffEvents.id))
    .limit(limit);
  return rows.reverse().map((row) => {
    const payload = row.payload as unknown as TicketChangePayload;
    return { id: row.id, createdAt: row.createdAt, ...payload, changes: payload.changes ?? [] };
  });
}

/** The id of the school's ticket with this reference ("T-1001"), or null. */
export async function ticketIdOfReference(db: Database, schoolId: number, reference: string) {
  const match = /^T-?(\d{1,9})$/i.exec(reference.trim());
  if (!match) return null;
  const [row] = await db
    .select({ id: schema.tickets.id })
    .from(schema.tickets)
    .where(and(eq(schema.tickets.schoolId, schoolId), eq(schema.tickets.number, Number(match[1]))));
  return row?.id ?? null;
}

/** Whether staff (or the flooding guardrail) flagged the guardian, and why. */
export async function guardianFlag(db: Database, guardianId: number) {
  const [row] = await db
    .select({ flaggedAt: schema.guardians.flaggedAt, reason: schema.guardians.flagReason })
    .from(schema.guardians)
    .where(eq(schema.guardians.id, guardianId));
  return row?.flaggedAt ? { flaggedAt: row.flaggedAt, reason: row.reason } : null;
}
