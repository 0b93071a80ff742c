// When the dispatcher looks next, through the Scheduler seam (Node's timers, a Durable Object's
// alarm): a message queued while a look is running is looked at within a few ms, not at the poll.
import { describe, expect, it } from "vitest";
import type { Scheduler } from "../../src/runtime/scheduler";
import { fakeChannel, outboxHarness } from "../support/outbox-harness";

/** A scheduler a test runs by hand: what is pending, and with what delay. */
function handScheduler() {
  const pending = new Set<{ delayMs: number; run: () => unknown }>();
  const scheduler: Scheduler = {
    after(delayMs, run) {
      const entry = { delayMs, run };
      pending.add(entry);
      return () => pending.delete(entry);
    },
  };
  /** Runs the soonest pending run; returns what it returned. */
  const runNext = () => {
    const next = [...pending].sort((a, b) => a.delayMs - b.delayMs)[0];
    if (!next) throw new Error("nothing scheduled");
    pending.delete(next);
    return next.run();
  };
  return { scheduler, pending, runNext };
}

describe("the dispatcher's schedule", () => {
  it("keeps a kick that came during a look instead of pushing it back to the next poll", async () => {
    const hand = handScheduler();
    const { dispatcher } = outboxHarness({ scheduler: hand.scheduler, pollMs: 5000 });
    dispatcher.start();
    const look = hand.runNext();
    dispatcher.kick(); // a message queued while the look runs
    await look;
    expect([...hand.pending].map((entry) => entry.delayMs)).toEqual([5]);
    await dispatcher.stop();
  });

  it("polls again after a quiet look", async () => {
    const hand = handScheduler();
    const { dispatcher } = outboxHarness({ scheduler: hand.scheduler, pollMs: 5000 });
    dispatcher.start();
    await hand.runNext();
    expect([...hand.pending].map((entry) => entry.delayMs)).toEqual([5000]);
    await dispatcher.stop();
    expect(hand.pending.size).toBe(0);
  });

  it("looks again when a row the per-chat pace put back is due, not at the next poll", async () => {
    const hand = handScheduler();
    const { channel, send } = fakeChannel({ limits: { perSecond: 1000, perAddressPerSecond: 30 } });
    const { dispatcher, enqueue } = outboxHarness({
      scheduler: hand.scheduler,
      pollMs: 5000,
      channels: new Map([[channel.name, channel]]),
    });
    dispatcher.start();
    await hand.runNext();
    const first = await enqueue({ body: "Thanks, you're verified." });
    const second = await enqueue({ body: "How can I help?" });

    await dispatcher.deliverNow([first, second]);
    expect(send.mock.calls.map(([message]) => message.outboxId)).toEqual([first]);
    // A second to the chat may go 1/30 s later: that is when the dispatcher looks.
    expect([...hand.pending].map((entry) => entry.delayMs)).toEqual([34]);
    await dispatcher.stop();
  });

  it("looks again once an inline send is over when another's row waited behind it", async () => {
    const hand = handScheduler();
    const { dispatcher, enqueue, send, sentIds } = outboxHarness({
      scheduler: hand.scheduler,
      pollMs: 5000,
    });
    dispatcher.start();
    await hand.runNext();
    const earlier = await enqueue({ body: "Thanks, you're verified." });
    let answer: () => void = () => {};
    send.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => {
        answer = resolve;
      });
      return { providerMessageId: "slow" };
    });
    const first = dispatcher.deliverNow([earlier]);
    const later = await enqueue({ body: "What is it about?" });
    await dispatcher.deliverNow([later]);
    // The loop's look comes while the earlier send is in flight, and leaves the later row.
    await hand.runNext();
    expect(sentIds()).toEqual([earlier]);

    answer();
    await first;
    expect([...hand.pending].map((entry) => entry.delayMs)).toEqual([5]);
    await hand.runNext();
    expect(sentIds()).toEqual([earlier, later]);
    await dispatcher.stop();
  });
});
