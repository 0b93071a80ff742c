// A piece of upkeep run in-process every so often (timers on Node, the object's alarm on Workers):
// never two runs at once, a failed run logged and tried again at the next interval.
import type { Logger } from "../logger";
import { type CancelRun, type Scheduler, timerScheduler } from "../runtime/scheduler";
import type { JobRunLog } from "../services/job-runs";

export interface PeriodicJobOptions {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
  log: Logger;
  /** Run once at start instead of waiting a whole interval first. */
  runAtStart?: boolean;
  scheduler?: Scheduler;
  /** Where each run is recorded (GET /v1/jobs); unrecorded without it. */
  runs?: JobRunLog;
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
    const { name, intervalMs, runs } = this.options;
    const scheduler = this.options.scheduler ?? timerScheduler;
    this.record(() => runs?.scheduled(name, intervalMs, runs.now() + delayMs));
    this.cancel = scheduler.after(delayMs, () => {
      const startedAt = runs?.now() ?? 0;
      const finished = (error?: string) =>
        this.record(() =>
          runs?.finished(name, {
            startedAt,
            durationMs: runs.now() - startedAt,
            ...(error === undefined ? {} : { error }),
          }),
        );
      this.running = this.options
        .run()
        .then(() => finished())
        .catch((error) => {
          this.options.log.error({ err: error, job: name }, "job failed");
          finished(error instanceof Error ? error.message : String(error));
        })
        .finally(() => {
          this.running = undefined;
          if (this.started) this.schedule(intervalMs);
        });
      return this.running;
    });
  }

  /** The run log is for people: a failure to write it never stops the job. */
  private record(write: () => void) {
    try {
      write();
    } catch (error) {
      this.options.log.error({ err: error, job: this.options.name }, "job run not recorded");
    }
  }
}
