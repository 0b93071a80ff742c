// What the dispatcher does with each kind of send failure a channel reports, with opt-outs, with
// the customer-service window, and with rows taken for an inline (TwiML) answer.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { schema } from "../../db";
import { ChannelSendError } from "../../src/contracts";
import { PACE_MARGIN } from "../../src/outbox/pacer";
import { isOptedOut, setOptedOut } from "../../src/services/opt-outs";
import { fakeChannel, outboxHarness, PHONE } from "../support/outbox-harness";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("send failures", () => {
  it("waits out a rate limit without counting an attempt, and holds the channel meanwhile", async () => {
    const { clock, dispatcher, enqueue, row, send, sentIds } = outboxHarness();
    send.mockRejectedValueOnce(
      new ChannelSendError("rate_limited", "429 Too Many Requests", { retryAfterMs: 7_000 }),
    );
    const first = await enqueue({ body: "one" });

    await dispatcher.dispatchDue();
    expect(await row(first)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: clock.now() + 7_000,
    });
    // The channel is paused: a message queued meanwhile is not sent into the rate limit either.
    const second = await enqueue({ body: "two", address: "+14155550101" });
    await dispatcher.dispatchDue();
    expect(sentIds()).toEqual([first]);
    expect(await row(second)).toMatchObject({ status: "pending", attempts: 0 });

    clock.advance(7_000);
    await dispatcher.dispatchDue();
    expect(sentIds()).toEqual([first, first, second]);
    expect(await row(first)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("marks a blocked address opted out and parks what else was queued for it", async () => {
    const { db, dispatcher, enqueue, row, send, sentIds } = outboxHarness();
    send.mockRejectedValueOnce(new ChannelSendError("blocked", "Forbidden: bot was blocked"));
    const first = await enqueue({ body: "one" });
    await dispatcher.dispatchDue();
    expect(await row(first)).toMatchObject({
      status: "dead",
      lastError: "Forbidden: bot was blocked",
    });
    expect(await isOptedOut(db, { channel: "simulator", address: PHONE })).toBe(true);

    const later = await enqueue({ body: "two" });
    const confirmation = await enqueue({ kind: "opt_out", body: "You're unsubscribed." });
    await dispatcher.dispatchDue();
    expect(await row(later)).toMatchObject({ status: "dead", lastError: "recipient opted out" });
    // The opt-out confirmation is the one message that still goes.
    expect(sentIds()).toEqual([first, confirmation]);
  });

  it("gives up at once on a message the provider rejects for good", async () => {
    const { dispatcher, enqueue, row, send } = outboxHarness({ maxAttempts: 5 });
    send.mockRejectedValue(
      new ChannelSendError("rejected", "invalid 'To' number", { providerCode: "21211" }),
    );
    const id = await enqueue();
    await dispatcher.dispatchDue();
    expect(await row(id)).toMatchObject({
      status: "dead",
      attempts: 1,
      lastError: "invalid 'To' number; no other channel to try",
    });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("falls back to SMS outside the customer-service window, with the code still sealed", async () => {
    const sms = fakeChannel({ name: "sms" });
    const { db, dispatcher, enqueue, row, send } = outboxHarness({}, [sms.channel]);
    send.mockRejectedValueOnce(
      new ChannelSendError("outside_window", "outside the 24-hour window"),
    );
    const id = await enqueue({
      kind: "otp",
      body: "Code {code}",
      secretValues: { code: "123456" },
    });

    await dispatcher.dispatchDue();
    expect(await row(id)).toMatchObject({
      status: "failed",
      sealed: null,
      lastError: "outside the 24-hour window; sent by sms instead",
    });
    const copies = (await db.select().from(schema.outbox)).filter((r) => r.channel === "sms");
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ address: PHONE, kind: "otp", body: "Code {code}" });

    await dispatcher.dispatchDue();
    expect(sms.send).toHaveBeenCalledTimes(1);
    expect(sms.send.mock.calls[0]?.[0]).toMatchObject({ channel: "sms", text: "Code 123456" });
  });

  it("parks the message when there is no SMS channel to fall back to", async () => {
    const { dispatcher, enqueue, row, send } = outboxHarness();
    send.mockRejectedValueOnce(
      new ChannelSendError("outside_window", "outside the 24-hour window"),
    );
    const id = await enqueue();
    await dispatcher.dispatchDue();
    expect(await row(id)).toMatchObject({
      status: "dead",
      lastError: "outside the 24-hour window; no other channel to try",
    });
  });

  it("tells a windowed channel when the person last wrote", async () => {
    const windowed = fakeChannel({
      name: "whatsapp-cloud",
      capabilities: {
        ...fakeChannel().channel.capabilities,
        customerServiceWindowMs: 24 * 3_600_000,
      },
    });
    const { clock, db, dispatcher, enqueue } = outboxHarness({}, [windowed.channel]);
    const wroteAt = clock.now() - 3_600_000;
    await db.insert(schema.inboundMessages).values([
      {
        channel: "whatsapp-cloud",
        providerMessageId: "wamid.1",
        address: PHONE,
        receivedAt: wroteAt - 5,
      },
      {
        channel: "whatsapp-cloud",
        providerMessageId: "wamid.2",
        address: PHONE,
        receivedAt: wroteAt,
      },
      { channel: "sms", providerMessageId: "SM1", address: PHONE, receivedAt: clock.now() },
    ]);
    await enqueue({ channel: "whatsapp-cloud" });
    await enqueue({ channel: "whatsapp-cloud", address: "+14155550101" });
    await dispatcher.dispatchDue();
    expect(windowed.send.mock.calls.map(([m]) => m.lastInboundAt)).toEqual([wroteAt, undefined]);
  });
});

describe("send limits", () => {
  it("defers a second message to the same chat by the per-address interval; others go", async () => {
    const paced = fakeChannel({
      name: "telegram",
      limits: { perSecond: 30, perAddressPerSecond: 1 },
    });
    const sleep = vi.fn(async (_ms: number) => {});
    const { clock, dispatcher, enqueue, row } = outboxHarness({ sleep }, [paced.channel]);
    const first = await enqueue({ channel: "telegram", address: "1001" });
    const second = await enqueue({ channel: "telegram", address: "1001" });
    const other = await enqueue({ channel: "telegram", address: "2002" });

    await dispatcher.dispatchDue();
    expect(paced.send.mock.calls.map(([m]) => m.outboxId)).toEqual([first, other]);
    expect(await row(second)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: clock.now() + 1_000,
    });
    // 30 a second across the channel (paced at 98 % of it): the send to the other chat waited its
    // 1/30 s slot and the margin.
    expect(sleep.mock.calls.map(([ms]) => Math.round(ms))).toEqual([
      Math.round(1000 / (30 * PACE_MARGIN)),
    ]);

    clock.advance(1_000);
    await dispatcher.dispatchDue();
    expect(paced.send.mock.calls.map(([m]) => m.outboxId)).toEqual([first, other, second]);
  });

  it("counts a send's cost (SMS segments) against the channel's rate", async () => {
    const sms = fakeChannel({
      name: "sms",
      limits: { perSecond: 1 },
      sendCost: (message) => Math.ceil(message.text.length / 153),
    });
    const sleep = vi.fn(async (_ms: number) => {});
    const { clock, dispatcher, enqueue, row } = outboxHarness({ sleep }, [sms.channel]);
    const long = await enqueue({ channel: "sms", body: "x".repeat(300) }); // 2 segments
    const next = await enqueue({ channel: "sms", address: "+14155550101" });

    await dispatcher.dispatchDue();
    expect(sms.send).toHaveBeenCalledTimes(1);
    // The two segments hold the number for 2 s (and the margin): too long to sleep through, so it
    // is deferred.
    expect(await row(next)).toMatchObject({
      status: "pending",
      nextAttemptAt: clock.now() + Math.ceil(2_000 / PACE_MARGIN),
    });
    expect((await row(long)).status).toBe("sent");
  });

  it("does not hold a webhook's deliverNow for a busy channel: the wait is left to the loop", async () => {
    const slow = fakeChannel({ name: "sms", limits: { perSecond: 1 } });
    const sleep = vi.fn(async (_ms: number) => {});
    const { clock, dispatcher, enqueue, row } = outboxHarness({ sleep }, [slow.channel]);
    const first = await enqueue({ channel: "sms" });
    const second = await enqueue({ channel: "sms", address: "+14155550101" });

    await dispatcher.deliverNow([first, second]);
    expect(slow.send).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
    expect(await row(second)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: clock.now() + Math.ceil(1_000 / PACE_MARGIN),
    });

    // Another, while the channel is still busy, is not even claimed (and put back): the row is
    // left exactly as it was for the loop.
    const third = await enqueue({ channel: "sms", address: "+14155550103" });
    const untouched = await row(third);
    clock.advance(10);
    await dispatcher.deliverNow([third]);
    expect(slow.send).toHaveBeenCalledTimes(1);
    expect(await row(third)).toEqual(untouched);
  });
});

describe("inline replies", () => {
  it("takes only the due rows to the address that wrote, fills codes and marks them sent", async () => {
    const { clock, db, enqueue, row, send, takeInline } = outboxHarness();
    const reply = await enqueue({
      body: "Hello {code}",
      kind: "otp",
      secretValues: { code: "999000" },
    });
    const elsewhere = await enqueue({ channel: "sms", body: "code for another channel" });
    const notDue = await enqueue({}, clock.now() + 60_000);

    const taken = takeInline({ channel: "simulator", address: PHONE }, [reply, elsewhere, notDue]);
    expect(taken).toEqual([
      expect.objectContaining({ outboxId: reply, text: "Hello 999000", address: PHONE }),
    ]);
    expect(await row(reply)).toMatchObject({ status: "sent", sealed: null, sentAt: clock.now() });
    expect((await row(elsewhere)).status).toBe("pending");
    expect((await row(notDue)).status).toBe("pending");
    expect(send).not.toHaveBeenCalled();

    // Taken once: a second take (a retried webhook) gets nothing.
    expect(takeInline({ channel: "simulator", address: PHONE }, [reply])).toEqual([]);

    // Another parent, who has sent STOP: nothing but the confirmation goes to them.
    const stopped = { channel: "simulator" as const, address: "+14155550101" };
    await setOptedOut(db, stopped, true, clock.now());
    const afterStop = await enqueue({ body: "anything", address: stopped.address });
    const confirmation = await enqueue({
      body: "You will get no more messages",
      kind: "opt_out",
      address: stopped.address,
    });
    expect(takeInline(stopped, [afterStop, confirmation])).toEqual([
      expect.objectContaining({ outboxId: confirmation, kind: "opt_out" }),
    ]);
    expect(await row(afterStop)).toMatchObject({
      status: "dead",
      lastError: "recipient opted out",
    });
    expect((await row(confirmation)).status).toBe("sent");
  });
});

describe("order to one address", () => {
  it("holds later messages to an address behind one waiting for its retry; others go", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { clock, dispatcher, enqueue, row, send, sentIds, takeInline } = outboxHarness();
    send.mockRejectedValueOnce(new Error("timeout"));
    const first = await enqueue({ body: "first" });
    const second = await enqueue({ body: "second" });
    const elsewhere = await enqueue({ body: "other", address: "+14155550101" });

    await dispatcher.dispatchDue();
    expect(sentIds()).toEqual([first, elsewhere]);
    const retryAt = (await row(first)).nextAttemptAt;
    expect(await row(second)).toMatchObject({ status: "pending", attempts: 0 });

    // Due by its own time, the second still waits behind the first.
    await dispatcher.dispatchDue();
    await dispatcher.deliverNow([second]);
    // Nor may a webhook answer with it inline, once it is due by its own time.
    clock.set((await row(second)).nextAttemptAt);
    const to = { channel: "simulator" as const, address: PHONE };
    expect(takeInline(to, [second])).toEqual([]);
    expect(sentIds()).toEqual([first, elsewhere]);

    clock.set(retryAt);
    await dispatcher.dispatchDue();
    expect(sentIds()).toEqual([first, elsewhere, first, second]);
    expect((await row(second)).status).toBe("sent");
  });

  it("holds later messages behind one another dispatcher is sending", async () => {
    const { clock, db, dispatcher, enqueue, sentIds } = outboxHarness();
    const first = await enqueue({ body: "first" });
    const second = await enqueue({ body: "second" });
    await db
      .update(schema.outbox)
      .set({
        status: "sending",
        leaseOwner: "other",
        leaseExpiresAt: clock.now() + 5_000,
        attempts: 1,
      })
      .where(eq(schema.outbox.id, first));
    expect(await dispatcher.dispatchDue()).toBe(0);

    clock.advance(5_000); // the other dispatcher's lease ran out: both are ours now, in order
    expect(await dispatcher.dispatchDue()).toBe(2);
    expect(sentIds()).toEqual([first, second]);
  });
});
