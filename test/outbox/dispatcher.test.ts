// The outbox dispatcher over a real (in-memory) database and a fake channel: what it sends, in which
// order, how it retries and gives up, and how leases keep two dispatchers from sending one row.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { schema } from "../../db";
import { INLINE_SETTLEMENT_SQL } from "../../src/outbox/inline-take";
import { claimStatement, dueIds, dueStatements } from "../../src/outbox/statements";
import { outboxHarness, PHONE } from "../support/outbox-harness";

const { outbox } = schema;

/**
 * "Behind an earlier message" reads only the address's unsent rows, never its whole history (a
 * parent's thousand sent messages, per row of every batch).
 */
const EARLIER_UNSENT_ONLY = expect.stringMatching(
  /^SEARCH earlier USING INDEX outbox_unsent_by_address \(channel=\? AND address=\? AND id<\?\)/,
);

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the outbox dispatcher", () => {
  it("sends due rows in id order and marks each sent with the provider's id", async () => {
    const { clock, dispatcher, enqueue, row, send, sentIds } = outboxHarness();
    const now = clock.now();
    // Due at different times, all due now: they still leave in the order they were queued.
    const first = await enqueue({ body: "one" }, now);
    const second = await enqueue(
      { body: "two", options: [{ id: "a", label: "Yes" }] },
      now - 5_000,
    );
    const third = await enqueue({ body: "three" }, now - 1_000);
    const later = await enqueue({ body: "later" }, now + 60_000);

    expect(await dispatcher.dispatchDue()).toBe(3);
    expect(sentIds()).toEqual([first, second, third]);
    expect(send.mock.calls.map(([message]) => message.text)).toEqual(["one", "two", "three"]);
    expect(send.mock.calls[1]?.[0]).toMatchObject({
      channel: "simulator",
      address: PHONE,
      kind: "reply",
      options: [{ id: "a", label: "Yes" }],
    });
    for (const id of [first, second, third]) {
      expect(await row(id)).toMatchObject({
        status: "sent",
        providerMessageId: `provider-${id}`,
        sentAt: now,
        attempts: 1,
        leaseOwner: null,
        leaseExpiresAt: null,
        lastError: null,
      });
    }
    expect(await row(later)).toMatchObject({ status: "pending", attempts: 0 });

    expect(await dispatcher.dispatchDue()).toBe(0);
    clock.advance(60_000);
    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(sentIds()).toEqual([first, second, third, later]);
    expect((await row(later)).status).toBe("sent");
  });

  it("fills a sealed {code} when sending and erases the sealed value afterwards", async () => {
    const { dispatcher, enqueue, row, send } = outboxHarness();
    const id = await enqueue({
      kind: "otp",
      body: "Your code is {code}. Keep {other} as is.",
      secretValues: { code: "654321" },
    });
    const queued = await row(id);
    expect(queued.body).toBe("Your code is {code}. Keep {other} as is.");
    expect(queued.sealed).toEqual(expect.any(String));
    expect(queued.sealed).not.toContain("654321");

    await dispatcher.dispatchDue();
    expect(send).toHaveBeenCalledTimes(1);
    expect(send.mock.calls[0]?.[0].text).toBe("Your code is 654321. Keep {other} as is.");
    const sent = await row(id);
    expect(sent).toMatchObject({ status: "sent", sealed: null });
    expect(sent.body).toBe("Your code is {code}. Keep {other} as is.");
  });

  it("returns a failed send to pending with a later retry, then parks it dead after maxAttempts", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { clock, dispatcher, enqueue, row, send } = outboxHarness({ maxAttempts: 3 });
    send.mockRejectedValue(new Error("provider unavailable"));
    const id = await enqueue({
      kind: "otp",
      body: "Code {code}",
      secretValues: { code: "111222" },
    });

    await dispatcher.dispatchDue();
    const afterFirst = await row(id);
    expect(afterFirst).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "provider unavailable",
      leaseOwner: null,
      leaseExpiresAt: null,
      providerMessageId: null,
    });
    expect(afterFirst.nextAttemptAt).toBeGreaterThan(clock.now());
    expect(afterFirst.sealed).toEqual(expect.any(String)); // kept for the retry

    // Not due again until the backoff has passed.
    expect(await dispatcher.dispatchDue()).toBe(0);
    expect(send).toHaveBeenCalledTimes(1);

    clock.set(afterFirst.nextAttemptAt);
    await dispatcher.dispatchDue();
    const afterSecond = await row(id);
    expect(afterSecond).toMatchObject({ status: "pending", attempts: 2 });
    expect(afterSecond.nextAttemptAt).toBeGreaterThan(clock.now());
    // The wait grows with each failure.
    expect(afterSecond.nextAttemptAt - afterSecond.updatedAt).toBeGreaterThan(
      afterFirst.nextAttemptAt - afterFirst.updatedAt,
    );

    clock.set(afterSecond.nextAttemptAt);
    await dispatcher.dispatchDue();
    expect(await row(id)).toMatchObject({
      status: "dead",
      attempts: 3,
      lastError: "provider unavailable",
      sealed: null,
      leaseOwner: null,
    });

    clock.advance(3_600_000);
    expect(await dispatcher.dispatchDue()).toBe(0);
    expect(send).toHaveBeenCalledTimes(3);
  });

  it("stores the retry time as whole milliseconds", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.123456789);
    const { db, dispatcher, enqueue, row, send } = outboxHarness();
    send.mockRejectedValue(new Error("provider unavailable"));
    const id = await enqueue();
    await dispatcher.dispatchDue();
    expect(Number.isInteger((await row(id)).nextAttemptAt)).toBe(true);
    expect(
      db.$client.prepare("select typeof(next_attempt_at) as type from outbox where id = ?").get(id),
    ).toEqual({ type: "integer" });
  });

  it("sends a row on its retry once the channel recovers", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { clock, dispatcher, enqueue, row, send } = outboxHarness();
    send.mockRejectedValueOnce(new Error("timeout"));
    const id = await enqueue();
    await dispatcher.dispatchDue();
    clock.set((await row(id)).nextAttemptAt);
    await dispatcher.dispatchDue();
    expect(await row(id)).toMatchObject({
      status: "sent",
      attempts: 2,
      providerMessageId: `provider-${id}`,
    });
  });

  it("reclaims and sends a row whose dispatcher crashed with it leased", async () => {
    const { clock, db, dispatcher, enqueue, row, sentIds } = outboxHarness();
    const id = await enqueue();
    await db
      .update(outbox)
      .set({
        status: "sending",
        leaseOwner: "crashed-dispatcher",
        leaseExpiresAt: clock.now() - 1,
        attempts: 1,
      })
      .where(eq(outbox.id, id));

    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(sentIds()).toEqual([id]);
    expect(await row(id)).toMatchObject({
      status: "sent",
      attempts: 2,
      leaseOwner: null,
      leaseExpiresAt: null,
      providerMessageId: `provider-${id}`,
    });
  });

  it("leaves alone a row another live dispatcher holds, until its lease runs out", async () => {
    const { clock, db, dispatcher, enqueue, row, send } = outboxHarness();
    const id = await enqueue();
    const leaseExpiresAt = clock.now() + 10_000;
    await db
      .update(outbox)
      .set({ status: "sending", leaseOwner: "other-dispatcher", leaseExpiresAt, attempts: 1 })
      .where(eq(outbox.id, id));
    const held = await row(id);

    expect(await dispatcher.dispatchDue()).toBe(0);
    await dispatcher.deliverNow([id]);
    expect(send).not.toHaveBeenCalled();
    expect(await row(id)).toEqual(held);

    clock.set(leaseExpiresAt);
    expect(await dispatcher.dispatchDue()).toBe(1);
    expect(await row(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("delivers now only the pending rows it is given", async () => {
    const { dispatcher, enqueue, row, send, sentIds } = outboxHarness();
    const first = await enqueue({ body: "first", address: "+14155550111" });
    const second = await enqueue({ body: "second" });
    const third = await enqueue({ body: "third" });

    await dispatcher.deliverNow([]);
    expect(send).not.toHaveBeenCalled();

    await dispatcher.deliverNow([third, second]);
    expect(sentIds()).toEqual([second, third]);
    expect((await row(second)).status).toBe("sent");
    expect((await row(third)).status).toBe("sent");
    expect(await row(first)).toMatchObject({ status: "pending", attempts: 0 });

    // A row already sent is not sent again.
    await dispatcher.deliverNow([second]);
    expect(sentIds()).toEqual([second, third]);
  });

  it("delivers now an earlier due row to the same address first, never the given row ahead of it", async () => {
    const { clock, dispatcher, enqueue, row, sentIds } = outboxHarness();
    const earlier = await enqueue({ body: "earlier" });
    const scheduled = await enqueue({ body: "in the morning" }, clock.now() + 60_000);
    const later = await enqueue({ body: "later" });

    await dispatcher.deliverNow([later]);
    // A row scheduled for later at insert holds nothing back.
    expect(sentIds()).toEqual([earlier, later]);
    expect(await row(scheduled)).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("does not deliver now a row behind an earlier one its own loop is sending", async () => {
    const { dispatcher, enqueue, send, sentIds } = outboxHarness();
    const earlier = await enqueue({ body: "earlier" });
    let answer: () => void = () => {};
    send.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => {
        answer = resolve;
      });
      return { providerMessageId: "slow" };
    });
    const loop = dispatcher.dispatchDue();
    await vi.waitFor(() => expect(send).toHaveBeenCalledTimes(1));
    const later = await enqueue({ body: "later" });

    await dispatcher.deliverNow([later]);
    expect(send).toHaveBeenCalledTimes(1);
    answer();
    await loop;
    await dispatcher.dispatchDue();
    expect(sentIds()).toEqual([earlier, later]);
  });

  it("does not deliver now a row that is waiting for its retry time", async () => {
    const { clock, dispatcher, enqueue, sentIds } = outboxHarness();
    const later = await enqueue({ body: "later" }, clock.now() + 60_000);
    await dispatcher.deliverNow([later]);
    expect(sentIds()).toEqual([]);
    clock.advance(60_000);
    await dispatcher.deliverNow([later]);
    expect(sentIds()).toEqual([later]);
  });

  it("parks a row for a channel that is not enabled as dead, with the reason", async () => {
    const { dispatcher, enqueue, row, send } = outboxHarness();
    const id = await enqueue({
      channel: "telegram",
      kind: "otp",
      body: "Code {code}",
      secretValues: { code: "123123" },
    });
    await dispatcher.dispatchDue();
    expect(send).not.toHaveBeenCalled();
    expect(await row(id)).toMatchObject({
      status: "dead",
      lastError: "channel telegram is not enabled",
      sealed: null,
      leaseOwner: null,
    });
    expect(await dispatcher.dispatchDue()).toBe(0);
  });

  it("takes a batch of the first due rows in id order, pending and lease-expired alike", async () => {
    const { clock, db, enqueue } = outboxHarness();
    const ids: number[] = [];
    for (let n = 0; n < 6; n++) ids.push(await enqueue({ address: `+1415555020${n}` }));
    const later = await enqueue({ address: "+14155550299" }, clock.now() + 60_000);
    // The second row's dispatcher crashed with it leased; the third's lease is still live.
    const lease = (id: number, until: number) =>
      db
        .update(outbox)
        .set({ status: "sending", leaseOwner: "another", leaseExpiresAt: until, attempts: 1 })
        .where(eq(outbox.id, id));
    await lease(ids[1] as number, clock.now() - 1);
    await lease(ids[2] as number, clock.now() + 30_000);
    const batch = (limit: number) => dueIds(db, { now: clock.now(), limit });

    expect(batch(3)).toEqual([ids[0], ids[1], ids[3]]);
    expect(batch(50)).toEqual([ids[0], ids[1], ids[3], ids[4], ids[5]]);
    expect(batch(50)).not.toContain(later);
    // The statements were left mid-walk and run again at once: each starts from the beginning.
    expect(batch(1)).toEqual([ids[0]]);
    expect(batch(0)).toEqual([]);
  });

  it("claims the rows it is given by primary key, however many other rows are pending", () => {
    const { db } = outboxHarness();
    const { sql: claimSql, params } = claimStatement(db).getQuery();
    const plan = db.$client
      .prepare(`explain query plan ${claimSql}`)
      .all(...params.map(() => null)) as { detail: string }[];
    const outer = plan.map((step) => step.detail).filter((detail) => / outbox\b/.test(detail));
    // A scan of the status index would read every pending row of a broadcast per inline reply.
    expect(outer).toEqual([expect.stringMatching(/^SEARCH outbox USING INTEGER PRIMARY KEY/)]);
    expect(plan.map((step) => step.detail)).toContainEqual(EARLIER_UNSENT_ONLY);
  });

  it("decides an inline answer on the unsent rows' index, never reading the address's history", () => {
    const { db } = outboxHarness();
    const plan = db.$client
      .prepare(`explain query plan ${INLINE_SETTLEMENT_SQL}`)
      .all({ channel: "sms", address: "+14155550102" }) as { detail: string }[];
    expect(plan.map((step) => step.detail)).toContainEqual(
      expect.stringMatching(
        /^SEARCH outbox USING (COVERING )?INDEX outbox_unsent_by_address \(channel=\? AND address=\?\)/,
      ),
    );
  });

  it("finds a batch by walking each status in id order, never reading every pending row", () => {
    const { db } = outboxHarness();
    for (const statement of Object.values(dueStatements(db))) {
      const plan = db.$client.prepare(`explain query plan ${statement.source}`).all({ now: 0 }) as {
        detail: string;
      }[];
      const details = plan.map((step) => step.detail);
      // Sorting would mean every due row was read first: a broadcast's 50,000 per batch.
      expect(details).not.toContain("USE TEMP B-TREE FOR ORDER BY");
      expect(details).toContainEqual(
        expect.stringMatching(/^SEARCH outbox USING INDEX outbox_status_order \(status=\?\)/),
      );
      expect(details).toContainEqual(EARLIER_UNSENT_ONLY);
    }
  });
});
