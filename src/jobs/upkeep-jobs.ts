// The database's upkeep, run in-process: dedupe keys past their provider's redelivery window are
// pruned every hour, and with BACKUP_DIR set a rotating online backup is taken at start and then
// every BACKUP_INTERVAL_HOURS.
import type { Database } from "../../db";
import type { Config } from "../config";
import type { Logger } from "../logger";
import type { Scheduler } from "../runtime/scheduler";
import { pruneInboundDedupe } from "../services/dedupe-pruning";
import { jobRunLog } from "../services/job-runs";
import { PeriodicJob } from "./periodic-job";

export const DEDUPE_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface UpkeepDeps<Backup> {
  db: Database;
  config: Pick<Config, "backups">;
  log: Logger;
  now: () => number;
  scheduler?: Scheduler;
  /** Takes one rotating backup (Node's file database only: src/node/backups.ts). */
  takeBackup?: () => Promise<Backup>;
}

export function createUpkeepJobs<Backup extends object = object>({
  db,
  config,
  log,
  now,
  takeBackup,
  scheduler,
}: UpkeepDeps<Backup>) {
  const pruneDedupe = async () => {
    const pruned = await pruneInboundDedupe(db, now());
    if (pruned) log.info({ pruned }, "pruned inbound dedupe keys");
    return pruned;
  };
  const backups = config.backups;
  const backUp =
    backups && takeBackup
      ? async () => {
          const result = await takeBackup();
          log.info(result as Record<string, unknown>, "database backed up");
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
      scheduler,
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
            scheduler,
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
