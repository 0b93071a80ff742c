// The periodic jobs' run log: when each last ran, for how long, how it ended and when it runs next,
// one row per job in job_runs, so GET /v1/jobs still knows after a restart.
import { asc, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";

const { jobRuns } = schema;

/** What a periodic job tells about itself (src/jobs/periodic-job.ts). */
export interface JobRunLog {
  now: () => number;
  /** The job's next run is set (at start, and after each run). */
  scheduled(name: string, intervalMs: number, nextRunAt: number): void;
  /** A run ended: ok, or failed with the error's message. */
  finished(name: string, run: { startedAt: number; durationMs: number; error?: string }): void;
}

/** Longest error message kept: a first line is what an operator needs from the log. */
const ERROR_LENGTH = 200;

export function jobRunLog(db: Database, now: () => number): JobRunLog {
  return {
    now,
    scheduled(name, intervalMs, nextRunAt) {
      db.insert(jobRuns)
        .values({ name, intervalMs, nextRunAt })
        .onConflictDoUpdate({ target: jobRuns.name, set: { intervalMs, nextRunAt } })
        .run();
    },
    finished(name, run) {
      db.update(jobRuns)
        .set({
          lastStartedAt: run.startedAt,
          lastDurationMs: run.durationMs,
          lastResult: run.error === undefined ? "ok" : "failed",
          lastError: run.error?.slice(0, ERROR_LENGTH) ?? null,
        })
        .where(sql`${jobRuns.name} = ${name}`)
        .run();
    },
  };
}

export function listJobRuns(db: Database) {
  return db.select().from(jobRuns).orderBy(asc(jobRuns.name)).all();
}
