// The announcements' periodic work, run in-process on Node (a Cron Trigger would call runDue on
// Workers): release scheduled announcements whose time has come, send due daily digests, and mark
// announcements whose every message has left as sent, telling their authors in the staff chat.
import type { Logger } from "../logger";
import { finishAnnouncements } from "../services/announcement-completion";
import { sendDueDigests } from "../services/announcement-digest";
import { releaseDueAnnouncements } from "../services/announcement-release";
import type { ServiceDeps } from "../services/deps";

/** How often the jobs look: scheduled times and the digest hour are kept to within this. */
export const ANNOUNCEMENT_JOBS_INTERVAL_MS = 30_000;

export interface AnnouncementJobsRun {
  released: number;
  digests: number;
  finished: number;
}

export class AnnouncementJobs {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly log: Logger,
    private readonly intervalMs = ANNOUNCEMENT_JOBS_INTERVAL_MS,
  ) {}

  /** Runs every job once, now (tests call this with their clock set). */
  async runDue(): Promise<AnnouncementJobsRun> {
    const released = await releaseDueAnnouncements(this.deps);
    const digests = await sendDueDigests(this.deps);
    const finished = await finishAnnouncements(this.deps);
    return { released, digests, finished };
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule() {
    this.timer = setTimeout(() => {
      this.running = this.runDue()
        .catch((error) => this.log.error({ err: error }, "announcement jobs failed"))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref?.();
  }
}
