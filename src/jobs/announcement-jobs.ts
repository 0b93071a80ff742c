// The announcements' periodic work, run in-process on Node (a Cron Trigger would call runDue on
// Workers): release scheduled announcements whose time has come, send due daily digests, and mark
// announcements whose every message has left as sent, telling their authors in the staff chat.
import type { Logger } from "../logger";
import { finishAnnouncements } from "../services/announcement-completion";
import { sendDueDigests } from "../services/announcement-digest";
import { releaseDueAnnouncements } from "../services/announcement-release";
import type { ServiceDeps } from "../services/deps";
import { jobRunLog } from "../services/job-runs";
import { PeriodicJob } from "./periodic-job";

/** How often the jobs look: scheduled times and the digest hour are kept to within this. */
export const ANNOUNCEMENT_JOBS_INTERVAL_MS = 30_000;

export interface AnnouncementJobsRun {
  released: number;
  digests: number;
  finished: number;
}

export class AnnouncementJobs {
  private readonly job: PeriodicJob;

  constructor(
    private readonly deps: ServiceDeps,
    log: Logger,
    intervalMs = ANNOUNCEMENT_JOBS_INTERVAL_MS,
  ) {
    this.job = new PeriodicJob({
      name: "announcements",
      intervalMs,
      run: () => this.runDue(),
      log,
      runs: jobRunLog(deps.db, deps.now),
      scheduler: deps.scheduler,
    });
  }

  /** Runs every job once, now (tests call this with their clock set). */
  async runDue(): Promise<AnnouncementJobsRun> {
    const released = await releaseDueAnnouncements(this.deps);
    const digests = await sendDueDigests(this.deps);
    const finished = await finishAnnouncements(this.deps);
    return { released, digests, finished };
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
