// What parentline_outbox_sends_total counts: each send a provider was asked for, by how it
// ended. A row the pace or a run's budget holds back asked nobody, so it counts nothing: a large
// announcement holds hundreds back, which would otherwise read as a storm of retries.
import { describe, expect, it } from "vitest";
import { ChannelSendError } from "../../src/contracts";
import { createMetrics } from "../../src/metrics";
import { SendBudget } from "../../src/outbox/send-budget";
import { fakeChannel, outboxHarness } from "../support/outbox-harness";
import { openTestDatabase } from "../support/test-runtime";

/** A dispatcher over `channel` whose sends metric the test reads, as /metrics prints it. */
function counted(channel: ReturnType<typeof fakeChannel>["channel"]) {
  const db = openTestDatabase();
  const metrics = createMetrics(db);
  const harness = outboxHarness({ db, metrics, channels: new Map([[channel.name, channel]]) });
  const sends = async () =>
    (await metrics.registry.getSingleMetricAsString("parentline_outbox_sends_total"))
      .split("\n")
      .filter((line) => !line.startsWith("#"));
  return { ...harness, sends };
}

describe("the outbox sends metric", () => {
  it("counts no retry for rows the per-chat pace holds back", async () => {
    const { channel, send } = fakeChannel({ limits: { perSecond: 1000, perAddressPerSecond: 1 } });
    const outbox = counted(channel);
    for (const body of ["One.", "Two.", "Three."]) await outbox.enqueue({ body });
    await outbox.dispatcher.dispatchDue();
    expect(send).toHaveBeenCalledTimes(1);
    for (let second = 1; second <= 2; second++) {
      outbox.clock.advance(1_001);
      await outbox.dispatcher.dispatchDue();
    }
    expect(send).toHaveBeenCalledTimes(3);
    expect(await outbox.sends()).toEqual([
      'parentline_outbox_sends_total{channel="simulator",result="sent"} 3',
    ]);
  });

  it("counts no retry for a row a run's budget leaves for the next run", async () => {
    // Each send makes two provider requests (a long text's two parts): a run of 3 makes one.
    const { channel, send } = fakeChannel({ requestsFor: () => 2 });
    const outbox = counted(channel);
    for (const address of ["+14155550101", "+14155550102"])
      await outbox.enqueue({ address, body: "The trip is on Friday." });
    await outbox.dispatcher.dispatchDue(new SendBudget(3));
    expect(send).toHaveBeenCalledTimes(1);
    await outbox.dispatcher.dispatchDue(new SendBudget(3));
    expect(send).toHaveBeenCalledTimes(2);
    expect(await outbox.sends()).toEqual([
      'parentline_outbox_sends_total{channel="simulator",result="sent"} 2',
    ]);
  });

  it("counts a provider's 429 as a retry", async () => {
    const { channel, send } = fakeChannel();
    send.mockRejectedValueOnce(
      new ChannelSendError("rate_limited", "429 Too Many Requests", { retryAfterMs: 2_000 }),
    );
    const outbox = counted(channel);
    await outbox.enqueue({ body: "Your request was received." });
    await outbox.dispatcher.dispatchDue();
    outbox.clock.advance(2_001);
    await outbox.dispatcher.dispatchDue();
    expect(await outbox.sends()).toEqual([
      'parentline_outbox_sends_total{channel="simulator",result="retry"} 1',
      'parentline_outbox_sends_total{channel="simulator",result="sent"} 1',
    ]);
  });
});
