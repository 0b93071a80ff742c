// Node only: rotating online backups of the better-sqlite3 file, for the upkeep jobs.
import type { Database } from "../../db";
import { nodeClientOf, rotateBackup } from "../../db/node";
import type { Config } from "../config";

/** Pages per backup step in the server: small enough that requests run between the steps. */
const SERVER_BACKUP_PAGES_PER_STEP = 1000;

/** One rotating backup into BACKUP_DIR, or undefined without it. */
export function rotatingBackups(db: Database, config: Pick<Config, "backups">, now: () => number) {
  const backups = config.backups;
  if (!backups) return undefined;
  return () =>
    rotateBackup(
      nodeClientOf(db),
      { dir: backups.dir, keep: backups.keep, now: now() },
      { pagesPerStep: SERVER_BACKUP_PAGES_PER_STEP },
    );
}
