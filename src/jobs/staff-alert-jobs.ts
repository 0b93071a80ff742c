// The staff chat's periodic work, run in-process on Node (a Cron Trigger would call runDue on
// Workers): follow-ups held by the alert pace, SLA reminders and breach notices, the morning
// summaries and the admins' weekly reports.
import type { Logger } from "../logger";
import type { ServiceDeps } from "../services/deps";
import { jobRunLog } from "../services/job-runs";
import { sendMorningSummaries } from "../services/morning-summary";
import { remindBeforeDue, tellBreaches } from "../services/sla-alerts";
import { alertHeldFollowUps } from "../services/staff-alerts";
import { sendWeeklyReports } from "../services/weekly-report";
import { PeriodicJob } from "./periodic-job";

/** How often the jobs look: reminders, breaches and the summary time are kept to within this. */
export const STAFF_ALERT_JOBS_INTERVAL_MS = 30_000;

export interface StaffAlertJobsRun {
  followUps: number;
  reminded: number;
  breaches: number;
  summaries: number;
  weeklyReports: number;
}

export class StaffAlertJobs {
  private readonly job: PeriodicJob;

  constructor(
    private readonly deps: ServiceDeps,
    log: Logger,
    intervalMs = STAFF_ALERT_JOBS_INTERVAL_MS,
  ) {
    this.job = new PeriodicJob({
      name: "staff-alerts",
      intervalMs,
      run: () => this.runDue(),
      log,
      runs: jobRunLog(deps.db, deps.now),
      scheduler: deps.scheduler,
    });
  }

  /** Runs every job once, now (tests call this with their clock set). */
  async runDue(): Promise<StaffAlertJobsRun> {
    const followUps = await alertHeldFollowUps(this.deps);
    const reminded = await remindBeforeDue(this.deps);
    const breaches = await tellBreaches(this.deps);
    const summaries = await sendMorningSummaries(this.deps);
    const weeklyReports = await sendWeeklyReports(this.deps);
    return { followUps, reminded, breaches, summaries, weeklyReports };
  }

  start(): void {
    this.job.start();
  }

  stop(): Promise<void> {
    return this.job.stop();
  }
}
