// A dispatcher run's send budget (OUTBOX_SENDS_PER_RUN): a Worker's invocation may make only so many
// subrequests, so one alarm run sends at most that many and the next run follows at once.
import { describe, expect, it } from "vitest";
import { ChannelSendError } from "../../src/contracts";
import type { DispatcherOptions } from "../../src/outbox";
import { alarmScheduler } from "../../src/workers/alarm-scheduler";
import { fakeChannel, outboxHarness } from "../support/outbox-harness";

const POLL_MS = 5000;

/**
 * A dispatcher on a Durable Object's alarm scheduler over a recording storage: `fire()` is one
 * alarm run (one invocation), and `alarms` the times the alarm was set to.
 */
function onAlarm(options: Partial<DispatcherOptions> = {}) {
  const alarms: number[] = [];
  let now = () => 0;
  const scheduler = alarmScheduler({ setAlarm: (at) => void alarms.push(at) }, () => now());
  const harness = outboxHarness({ scheduler, pollMs: POLL_MS, ...options });
  now = harness.clock.now;
  /** Runs the alarm once; returns the ids it sent. */
  async function alarmRun(): Promise<number[]> {
    const before = harness.send.mock.calls.length;
    await scheduler.fire();
    return harness.sentIds().slice(before);
  }
  /** Queues `count` rows, two to each address so that order within a chat shows. */
  async function queueAnnouncement(count: number): Promise<number[]> {
    const ids: number[] = [];
    for (let index = 0; index < count; index += 1) {
      const address = `+1415555${String(1000 + Math.floor(index / 2))}`;
      ids.push(await harness.enqueue({ address, kind: "announcement", body: `Notice ${index}` }));
    }
    return ids;
  }
  return { ...harness, alarms, alarmRun, queueAnnouncement };
}

/** Chats' sends run side by side: each row went once, and a chat's two in the order queued. */
function expectEachOnceInChatOrder(sent: number[], ids: number[]) {
  expect([...sent].sort((a, b) => a - b)).toEqual(ids);
  for (let index = 0; index + 1 < ids.length; index += 2) {
    expect(sent.indexOf(ids[index] ?? 0)).toBeLessThan(sent.indexOf(ids[index + 1] ?? 0));
  }
}

describe("a dispatcher run's send budget", () => {
  it("sends at most N a run, the rest in runs set for at once, in order and each once", async () => {
    const { dispatcher, clock, alarms, alarmRun, queueAnnouncement, row, sentIds } = onAlarm({
      sendsPerRun: 4,
    });
    const ids = await queueAnnouncement(10);
    dispatcher.start();

    const runs: number[][] = [];
    for (let run = 0; run < 3; run += 1) {
      runs.push(await alarmRun());
      const after = runs.flat();
      // Nothing the budget held back was claimed: no attempt counted, still due now.
      for (const id of ids.filter((id) => !after.includes(id))) {
        expect(await row(id)).toMatchObject({ status: "pending", attempts: 0 });
      }
      // The next run is set for now, not the poll's 5 s (the last run's for the poll).
      expect(alarms.at(-1)).toBe(run < 2 ? clock.now() : clock.now() + POLL_MS);
    }
    expect(runs.map((sent) => sent.length)).toEqual([4, 4, 2]);
    expectEachOnceInChatOrder(sentIds(), ids);
    for (const id of ids) expect(await row(id)).toMatchObject({ status: "sent", attempts: 1 });
    await dispatcher.stop();
  });

  it("counts a failed send, and a send's requests as they are", async () => {
    // Each send here makes two provider requests (a long text's two parts).
    const { channel, send } = fakeChannel({ requestsFor: () => 2 });
    const { dispatcher, clock, alarms, alarmRun, queueAnnouncement, row } = onAlarm({
      sendsPerRun: 5,
      channels: new Map([[channel.name, channel]]),
    });
    send.mockRejectedValueOnce(new ChannelSendError("transient", "socket hang up"));
    const ids = await queueAnnouncement(4);
    dispatcher.start();

    const [failed = 0, behindFailed = 0, sent = 0, heldBack = 0] = ids;
    await alarmRun();
    // Two sends (the failed one counted) made 4 requests; a third would make 6 of 5.
    expect(send.mock.calls.map(([message]) => message.outboxId)).toEqual([failed, sent]);
    expect(await row(failed)).toMatchObject({ status: "pending", attempts: 1 });
    expect(await row(behindFailed)).toMatchObject({ status: "pending", attempts: 0 });
    expect(await row(sent)).toMatchObject({ status: "sent", attempts: 1 });
    expect(await row(heldBack)).toMatchObject({
      status: "pending",
      attempts: 0,
      nextAttemptAt: clock.now(),
    });
    expect(alarms.at(-1)).toBe(clock.now());
    await dispatcher.stop();
  });

  it("sends a whole announcement in one run when no budget is set, as on Node", async () => {
    const { dispatcher, clock, alarms, alarmRun, queueAnnouncement } = onAlarm();
    const ids = await queueAnnouncement(120);
    dispatcher.start();

    expectEachOnceInChatOrder(await alarmRun(), ids);
    expect(alarms.at(-1)).toBe(clock.now() + POLL_MS);
    await dispatcher.stop();
  });

  it("caps an inline send the same way and leaves the rest to the next run", async () => {
    const { dispatcher, clock, alarms, alarmRun, queueAnnouncement, sentIds } = onAlarm({
      sendsPerRun: 2,
    });
    dispatcher.start();
    await alarmRun();
    const ids = await queueAnnouncement(3);

    await dispatcher.deliverNow(ids);
    expect(sentIds()).toEqual(ids.slice(0, 2));
    expect(alarms.at(-1)).toBeLessThanOrEqual(clock.now() + 5);
    clock.advance(5);
    expect(await alarmRun()).toEqual(ids.slice(2));
    await dispatcher.stop();
  });
});
