// One chat's order when the dispatcher is replaced (a restart, an evicted Durable Object): a row
// put back by the pace or a provider's 429 keeps its place in its chat's line, which the new
// dispatcher knows only from the database; a row scheduled for later holds nothing back.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Channel } from "../../src/contracts";
import { ChannelSendError } from "../../src/contracts";
import { fakeChannel, outboxHarness } from "../support/outbox-harness";
import { testDatabaseFile } from "../support/test-runtime";

let file: ReturnType<typeof testDatabaseFile>;
beforeEach(() => {
  file = testDatabaseFile();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await file.remove();
});

/** A dispatcher over the database file, as a process starts, at `at` on its clock when given. */
function start(channel: Channel, at?: number) {
  const opened = file.open();
  const harness = outboxHarness({ db: opened.db, channels: new Map([[channel.name, channel]]) });
  if (at !== undefined) harness.clock.set(at);
  return {
    ...harness,
    /** Stops the dispatcher and closes the database, as a process that ends. */
    async end() {
      await harness.dispatcher.stop();
      await opened.close();
    },
  };
}

const sentIdsOf = (send: ReturnType<typeof fakeChannel>["send"]) => () =>
  send.mock.calls.map(([message]) => message.outboxId);

describe("one chat's order over a restart", () => {
  it("sends a reply the per-chat pace put back before a reply queued to the chat after a restart", async () => {
    const { channel, send } = fakeChannel({ limits: { perSecond: 1000, perAddressPerSecond: 30 } });
    const sent = sentIdsOf(send);
    const before = start(channel);
    const verified = await before.enqueue({ body: "Thanks, you're verified." });
    const help = await before.enqueue({ body: "How can I help?" });
    await before.dispatcher.dispatchDue();
    expect(sent()).toEqual([verified]);
    const putBack = await before.row(help);
    expect(putBack).toMatchObject({ status: "pending", attempts: 0 });
    await before.end();

    const after = start(channel, before.clock.now());
    const menu = await after.enqueue({ body: "What is it about?" });
    // Neither a webhook's own send nor the loop takes the later reply ahead of the one put back.
    await after.dispatcher.deliverNow([menu]);
    expect(sent()).toEqual([verified]);
    await after.dispatcher.dispatchDue();
    expect(sent()).toEqual([verified]);

    after.clock.set(putBack.nextAttemptAt);
    await after.dispatcher.dispatchDue();
    after.clock.advance(1000 / 30 + 1);
    await after.dispatcher.dispatchDue();
    expect(sent()).toEqual([verified, help, menu]);
    await after.end();
  });

  it("sends a reply a provider's 429 put back before a reply queued to the chat after a restart", async () => {
    const { channel, send } = fakeChannel();
    const sent = sentIdsOf(send);
    send.mockRejectedValueOnce(
      new ChannelSendError("rate_limited", "429 Too Many Requests", { retryAfterMs: 7_000 }),
    );
    const before = start(channel);
    const first = await before.enqueue({ body: "Your request was received." });
    await before.dispatcher.dispatchDue();
    expect(await before.row(first)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: before.clock.now() + 7_000,
    });
    await before.end();

    const after = start(channel, before.clock.now());
    const second = await after.enqueue({ body: "A teacher has answered." });
    await after.dispatcher.deliverNow([second]);
    expect(sent()).toEqual([first]);
    await after.dispatcher.dispatchDue();
    expect(sent()).toEqual([first]);

    after.clock.advance(7_000);
    await after.dispatcher.dispatchDue();
    expect(sent()).toEqual([first, first, second]);
    await after.end();
  });

  it("does not hold a later urgent row behind one scheduled for later (quiet hours), after a restart", async () => {
    const { channel, send } = fakeChannel();
    const sent = sentIdsOf(send);
    const before = start(channel);
    const morning = await before.enqueue({
      body: "Your weekly summary",
      sendAt: before.clock.now() + 8 * 3_600_000,
    });
    await before.dispatcher.dispatchDue();
    expect(await before.row(morning)).toMatchObject({ status: "pending", attempts: 0 });
    await before.end();

    const after = start(channel, before.clock.now());
    const urgent = await after.enqueue({ kind: "school_event", body: "School closes at noon." });
    await after.dispatcher.dispatchDue();
    const answer = await after.enqueue({ body: "How can I help?" });
    await after.dispatcher.deliverNow([answer]);
    expect(sent()).toEqual([urgent, answer]);
    expect(await after.row(morning)).toMatchObject({ status: "pending", attempts: 0 });
    await after.end();
  });
});
