// A Durable Object has one alarm: every pending run shares it, set to the earliest, and alarm()
// runs what is due, awaits it, and sets the alarm for what is left.
import { describe, expect, it } from "vitest";
import { alarmScheduler } from "../../src/workers/alarm-scheduler";

function fakeStorage() {
  const alarms: number[] = [];
  return { alarms, setAlarm: (at: number) => void alarms.push(at) };
}

describe("runs on the object's alarm", () => {
  it("sets the alarm to the earliest pending run only", () => {
    const now = 1000;
    const storage = fakeStorage();
    const scheduler = alarmScheduler(storage, () => now);
    scheduler.after(5000, () => {});
    scheduler.after(5, () => {});
    scheduler.after(60_000, () => {});
    expect(storage.alarms).toEqual([6000, 1005]);
  });

  it("runs what is due when the alarm goes off, awaits it, then sets the alarm for the rest", async () => {
    let now = 0;
    const storage = fakeStorage();
    const scheduler = alarmScheduler(storage, () => now);
    const ran: string[] = [];
    scheduler.after(10, async () => {
      await Promise.resolve();
      ran.push("kick");
    });
    scheduler.after(5000, () => ran.push("poll"));
    const cancelled = scheduler.after(20, () => ran.push("cancelled"));
    cancelled();
    now = 10;
    await scheduler.fire();
    expect(ran).toEqual(["kick"]);
    expect(storage.alarms.at(-1)).toBe(5000);
    now = 5000;
    await scheduler.fire();
    expect(ran).toEqual(["kick", "poll"]);
  });

  it("schedules again from inside a run (a look that sets the next poll)", async () => {
    const now = 0;
    const storage = fakeStorage();
    const scheduler = alarmScheduler(storage, () => now);
    scheduler.after(0, () => scheduler.after(250, () => {}));
    await scheduler.fire();
    expect(storage.alarms.at(-1)).toBe(250);
  });
});
