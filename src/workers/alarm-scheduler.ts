// The time seam on a Durable Object: every pending run (the dispatcher's next look, each periodic
// job) shares the object's one alarm, set to the earliest of them. The alarm wakes the object even
// after it was evicted; its constructor schedules the runs again and alarm() runs those now due.
import type { Scheduler } from "../runtime/scheduler";

/** The part of `ctx.storage` the alarm is set through. */
export interface AlarmStorage {
  setAlarm(scheduledTime: number): Promise<void> | void;
}

interface PendingRun {
  at: number;
  run: () => unknown;
}

export interface AlarmScheduler extends Scheduler {
  /** Runs what is due and awaits it, then sets the alarm for what is left (the object's alarm()). */
  fire(): Promise<void>;
}

export function alarmScheduler(
  storage: AlarmStorage,
  now: () => number = Date.now,
): AlarmScheduler {
  const pending = new Set<PendingRun>();
  let alarmAt = Number.POSITIVE_INFINITY;

  function setAlarmFor(earliest: number) {
    if (earliest === alarmAt) return;
    alarmAt = earliest;
    if (Number.isFinite(earliest)) void storage.setAlarm(earliest);
  }
  const earliestPending = () => Math.min(...[...pending].map((entry) => entry.at));

  return {
    after(delayMs, run) {
      const entry = { at: now() + Math.max(0, delayMs), run };
      pending.add(entry);
      if (entry.at < alarmAt) setAlarmFor(entry.at);
      return () => {
        pending.delete(entry);
      };
    },
    async fire() {
      // The alarm has gone off: whatever is set next is set anew.
      alarmAt = Number.POSITIVE_INFINITY;
      const due = [...pending].filter((entry) => entry.at <= now());
      for (const entry of due) pending.delete(entry);
      await Promise.allSettled(due.map((entry) => entry.run()));
      if (pending.size > 0) setAlarmFor(earliestPending());
    },
  };
}
