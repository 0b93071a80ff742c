// Providers' delivery receipts move an outbox row forward: sent → delivered → read, or to
// undelivered/failed with the provider's error code. A row never moves backwards (receipts arrive
// out of order), and a row still being sent is left to the dispatcher, which writes "sent" itself.
import { and, eq, inArray, or } from "drizzle-orm";
import { type Database, schema, writeResultOf } from "../../db";
import type { OutboxStatus } from "../../db/schema";
import type { DeliveryReceipt, DeliveryStatus } from "../contracts";

const { outbox } = schema;

// A failure outranks "delivered": a message the provider sent in parts (a long SMS) was delivered
// only if every part was, so one part's failure stands even after another part's delivery.
const rank: Record<DeliveryStatus, number> = {
  sent: 1,
  delivered: 2,
  undelivered: 3,
  failed: 3,
  read: 4,
};

/** The settled statuses a receipt of `status` may move a row from. */
function movableFrom(status: DeliveryStatus): OutboxStatus[] {
  return (Object.keys(rank) as DeliveryStatus[]).filter((from) => rank[from] < rank[status]);
}

export async function recordReceipt(
  db: Database,
  receipt: DeliveryReceipt,
  now: number,
): Promise<boolean> {
  const from = movableFrom(receipt.status);
  if (from.length === 0) return false;
  const which = receipt.outboxId
    ? or(eq(outbox.id, receipt.outboxId), eq(outbox.providerMessageId, receipt.providerMessageId))
    : eq(outbox.providerMessageId, receipt.providerMessageId);
  const result = await db
    .update(outbox)
    .set({
      status: receipt.status,
      updatedAt: now,
      ...(receipt.errorCode ? { lastError: `provider error ${receipt.errorCode}` } : {}),
    })
    .where(and(eq(outbox.channel, receipt.channel), which, inArray(outbox.status, from)))
    .run();
  return writeResultOf(db.$client, result).changes > 0;
}
