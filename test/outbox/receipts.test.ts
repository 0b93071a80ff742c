// Delivery receipts move an outbox row forward only: out-of-order and repeated receipts change
// nothing, and a row still in the dispatcher's hands is left to it.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { recordReceipt } from "../../src/outbox/receipts";
import { outboxHarness } from "../support/outbox-harness";

describe("delivery receipts", () => {
  it("move sent → delivered → read, never back, and keep the provider's error code", async () => {
    const { clock, db, dispatcher, enqueue, row } = outboxHarness();
    const id = await enqueue();
    const other = await enqueue();
    await dispatcher.dispatchDue();
    const receipt = { channel: "simulator" as const, providerMessageId: `provider-${id}` };

    expect(await recordReceipt(db, { ...receipt, status: "delivered" }, clock.now())).toBe(true);
    expect((await row(id)).status).toBe("delivered");
    expect(await recordReceipt(db, { ...receipt, status: "sent" }, clock.now())).toBe(false);
    expect(await recordReceipt(db, { ...receipt, status: "read" }, clock.now())).toBe(true);
    expect(await recordReceipt(db, { ...receipt, status: "delivered" }, clock.now())).toBe(false);
    expect((await row(id)).status).toBe("read");
    expect((await row(other)).status).toBe("sent");

    const failed = { channel: "simulator" as const, providerMessageId: `provider-${other}` };
    expect(
      await recordReceipt(
        db,
        { ...failed, status: "undelivered", errorCode: "30003" },
        clock.now(),
      ),
    ).toBe(true);
    expect(await row(other)).toMatchObject({
      status: "undelivered",
      lastError: "provider error 30003",
    });
  });

  it("ignore unknown ids, other channels, and rows the dispatcher is still sending", async () => {
    const { clock, db, enqueue, row } = outboxHarness();
    const id = await enqueue();
    await db
      .update(schema.outbox)
      .set({ status: "sending", leaseOwner: "someone", providerMessageId: "SM1" })
      .where(eq(schema.outbox.id, id));
    const at = clock.now();
    expect(
      await recordReceipt(
        db,
        { channel: "simulator", providerMessageId: "SM1", outboxId: id, status: "delivered" },
        at,
      ),
    ).toBe(false);
    expect((await row(id)).status).toBe("sending");
    expect(
      await recordReceipt(
        db,
        { channel: "sms", providerMessageId: "SM1", status: "delivered" },
        at,
      ),
    ).toBe(false);
    expect(
      await recordReceipt(
        db,
        { channel: "simulator", providerMessageId: "nope", status: "read" },
        at,
      ),
    ).toBe(false);
  });

  it("find a sent row by the outbox id the provider echoes back", async () => {
    const { clock, db, dispatcher, enqueue, row } = outboxHarness();
    const id = await enqueue();
    await dispatcher.dispatchDue();
    expect(
      await recordReceipt(
        db,
        {
          channel: "simulator",
          providerMessageId: "unknown-yet",
          outboxId: id,
          status: "delivered",
        },
        clock.now(),
      ),
    ).toBe(true);
    expect((await row(id)).status).toBe("delivered");
  });
});
