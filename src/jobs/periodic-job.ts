// A piece of upkeep run in-process every so often (timers on Node, the object's alarm on Workers):
// never two runs at once, a failed run logged and tried again at the next interval.
import type { Logger } from "../logger";
import { type CancelRun, type Scheduler, timerScheduler } from "../runtime/scheduler";

export interface PeriodicJobOptions {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
  log: Logger;
  /** Run once at start instead of waiting a whole interval first. */
  runAtStart?: boolean;
  scheduler?: Scheduler;
}

export class PeriodicJob {
  private cancel: CancelRun | undefined;
  private running: Promise<unknown> | undefined;
  private started = false;

  constructor(private readonly options: PeriodicJobOptions) {}

  start(): void {
    this.started = true;
    this.schedule(this.options.runAtStart ? 0 : this.options.intervalMs);
  }

  async stop(): Promise<void> {
    this.started = false;
    this.cancel?.();
    this.cancel = undefined;
    await this.running;
  }

  private schedule(delayMs: number) {
    const scheduler = this.options.scheduler ?? timerScheduler;
    this.cancel = scheduler.after(delayMs, () => {
      this.running = this.options
        .run()
        .catch((error) =>
          this.options.log.error({ err: error, job: this.options.name }, "job failed"),
        )
        .finally(() => {
          this.running = undefined;
          if (this.started) this.schedule(this.options.intervalMs);
        });
      return this.running;
    });
  }
}
