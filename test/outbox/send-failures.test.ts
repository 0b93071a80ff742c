// What the dispatcher does with each kind of send failure a channel reports, with opt-outs, with
// the customer-service window, and with rows taken for an inline (TwiML) answer.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { schema } from "../../db";
import { ChannelSendError } from "../../src/contracts";
import { isOptedOut, setOptedOut } from "../../src/outbox/opt-outs";
import { PACE_MARGIN } from "../../src/outbox/pacer";
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

  it("holds a chat for each message of a send that makes several (a long text's parts)", async () => {
    const paced = fakeChannel({
      name: "telegram",
      limits: { perSecond: 30, perAddressPerSecond: 1 },
      sendCost: (message) => Math.ceil(message.text.length / 100),
    });
    const sleep = vi.fn(async (_ms: number) => {});
    const { clock, dispatcher, enqueue, row } = outboxHarness({ sleep }, [paced.channel]);
    await enqueue({ channel: "telegram", address: "1001", body: "x".repeat(300) }); // 3 parts
    const next = await enqueue({ channel: "telegram", address: "1001" });

    await dispatcher.dispatchDue();
    expect(paced.send).toHaveBeenCalledTimes(1);
    expect(await row(next)).toMatchObject({
      status: "pending",
      nextAttemptAt: clock.now() + 3_000,
    });
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
  it("inserts the replies to the address that wrote already sent, codes filled and never stored", async () => {
    const { clock, enqueueAnswered, row, send } = outboxHarness();
    const wrote = { channel: "simulator" as const, address: PHONE };
    const { ids, answered } = await enqueueAnswered(wrote, [
      { body: "Hello {code}", kind: "otp", secretValues: { code: "999000" } },
      { channel: "sms", body: "to another channel" },
      { address: "+14155550109", body: "to another address" },
    ]);
    const [reply, otherChannel, otherAddress] = ids as [number, number, number];
    expect(answered).toEqual([
      { outboxId: reply, channel: "simulator", address: PHONE, kind: "otp", text: "Hello 999000" },
    ]);
    expect(await row(reply)).toMatchObject({
      status: "sent",
      attempts: 1,
      sealed: null,
      sentAt: clock.now(),
    });
    expect(await row(otherChannel)).toMatchObject({ status: "pending", attempts: 0 });
    expect(await row(otherAddress)).toMatchObject({ status: "pending", attempts: 0 });
    expect(send).not.toHaveBeenCalled();
  });

  it("keeps a code sealed when the row is left to the dispatcher", async () => {
    const { enqueueAnswered, row, secrets } = outboxHarness();
    const { ids } = await enqueueAnswered({ channel: "sms", address: PHONE }, [
      { body: "Hello {code}", kind: "otp", secretValues: { code: "999000" } },
    ]);
    const queued = await row(ids[0] as number);
    expect(queued.status).toBe("pending");
    expect(JSON.parse(secrets.unseal(queued.sealed as string))).toEqual({ code: "999000" });
  });

  it("sends an opted-out address its confirmation and records anything else dead", async () => {
    const { clock, db, enqueueAnswered, row } = outboxHarness();
    const stopped = { channel: "simulator" as const, address: "+14155550101" };
    await setOptedOut(db, stopped, true, clock.now());
    const { ids, answered } = await enqueueAnswered(stopped, [
      { body: "anything", address: stopped.address },
      { body: "You will get no more messages", kind: "opt_out", address: stopped.address },
    ]);
    const [afterStop, confirmation] = ids as [number, number];
    expect(answered).toEqual([
      expect.objectContaining({ outboxId: confirmation, kind: "opt_out" }),
    ]);
    expect(await row(afterStop)).toMatchObject({
      status: "dead",
      lastError: "recipient opted out",
      sentAt: null,
    });
    expect((await row(confirmation)).status).toBe("sent");
  });
});

describe("order to one address", () => {
  it("holds later messages to an address behind one waiting for its retry; others go", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { clock, dispatcher, enqueue, enqueueAnswered, row, send, sentIds } = outboxHarness();
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
    // Nor may a webhook answer the address inline with a new reply: it would overtake both.
    clock.set((await row(second)).nextAttemptAt);
    const answering = await enqueueAnswered({ channel: "simulator", address: PHONE }, [
      { body: "third" },
    ]);
    expect(answering.answered).toEqual([]);
    const third = answering.ids[0] as number;
    expect(await row(third)).toMatchObject({ status: "pending", attempts: 0 });
    expect(sentIds()).toEqual([first, elsewhere]);

    clock.set(retryAt);
    await dispatcher.dispatchDue();
    expect(sentIds()).toEqual([first, elsewhere, first, second, third]);
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
