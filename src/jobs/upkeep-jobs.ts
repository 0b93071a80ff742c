// The database's upkeep, run in-process: dedupe keys past their provider's redelivery window are
// pruned every hour, and with BACKUP_DIR set a rotating online backup is taken at start and then
// every BACKUP_INTERVAL_HOURS.
import { type Database, rotateBackup } from "../../db";
import type { Config } from "../config";
import type { Logger } from "../logger";
import { pruneInboundDedupe } from "../services/dedupe-pruning";
import { jobRunLog } from "../services/job-runs";
import { PeriodicJob } from "./periodic-job";

export const DEDUPE_PRUNE_INTERVAL_MS = 60 * 60 * 1000;
/** Pages per backup step in the server: small enough that requests run between the steps. */
const SERVER_BACKUP_PAGES_PER_STEP = 1000;

export interface UpkeepDeps {
  db: Database;
  config: Pick<Config, "backups">;
  log: Logger;
  now: () => number;
}

export function createUpkeepJobs({ db, config, log, now }: UpkeepDeps) {
  const pruneDedupe = async () => {
    const pruned = await pruneInboundDedupe(db, now());
    if (pruned) log.info({ pruned }, "pruned inbound dedupe keys");
    return pruned;
  };
  const backups = config.backups;
  const backUp = backups
    ? async () => {
        const result = await rotateBackup(
          db.$client,
          { dir: backups.dir, keep: backups.keep, now: now() },
          { pagesPerStep: SERVER_BACKUP_PAGES_PER_STEP },
        );
        log.info(result, "database backed up");
        return result;
      }
    : undefined;
  const runs = jobRunLog(db, now);
  const jobs = [
    new PeriodicJob({
      name: "dedupe-pruning",
      intervalMs: DEDUPE_PRUNE_INTERVAL_MS,
      run: pruneDedupe,
      log,
      runs,
    }),
    ...(backups && backUp
      ? [
          new PeriodicJob({
            name: "backup",
            intervalMs: backups.intervalHours * 60 * 60 * 1000,
            run: backUp,
            log,
            runAtStart: true,
            runs,
          }),
        ]
      : []),
  ];
  return {
    /** Runs the pruning once, now (tests call it with their clock set). */
    pruneDedupe,
    /** Takes one rotating backup now; undefined without BACKUP_DIR. */
    backUp,
    start: () => {
      for (const job of jobs) job.start();
    },
    stop: async () => {
      await Promise.all(jobs.map((job) => job.stop()));
    },
  };
}

export type UpkeepJobs = ReturnType<typeof createUpkeepJobs>;
