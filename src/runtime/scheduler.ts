// The time seam: how the dispatcher and the periodic jobs ask to run later. Node uses its timers;
// a Durable Object multiplexes them onto its one alarm (src/workers/alarm-scheduler.ts), which
// wakes the object even after it was evicted.

/** Cancels a pending run; a run that already started is not affected. */
export type CancelRun = () => void;

export interface Scheduler {
  /** Runs `run` once, `delayMs` from now; what it returns is awaited before the object may sleep. */
  after(delayMs: number, run: () => unknown): CancelRun;
}

/** Node's timers, not keeping the process alive on their own (the server does). */
export const timerScheduler: Scheduler = {
  after(delayMs, run) {
    const timer = setTimeout(run, delayMs);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};
