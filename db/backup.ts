// Online backups of the live SQLite file through SQLite's backup API (better-sqlite3's backup()):
// a consistent copy taken while the server reads and writes, checked before it counts, and the
// rotating copies a server keeps in a folder.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";

export interface BackupOptions {
  /**
   * Pages copied per step. The server's own connection takes small steps so that requests run in
   * between (its writes go into the copy as it goes); another process's connection copies all in
   * one step, since each write by the server would start a stepped copy over.
   */
  pagesPerStep?: number;
}

export interface BackupResult {
  file: string;
  pages: number;
}

/**
 * Copies the database `client` has open to `file` (which must not exist yet), as one
 * self-contained file (rollback journal, no -wal beside it) that passes integrity_check. The copy
 * is written beside `file` first and renamed only once checked, so a backup that is there is whole.
 */
export async function backupDatabase(
  client: BetterSqlite3.Database,
  file: string,
  { pagesPerStep = Number.MAX_SAFE_INTEGER }: BackupOptions = {},
): Promise<BackupResult> {
  if (existsSync(file)) throw new Error(`${file} already exists; choose another name`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    const { totalPages } = await client.backup(partial, { progress: () => pagesPerStep });
    const copy = new BetterSqlite3(partial);
    try {
      copy.pragma("journal_mode = DELETE");
      const check = copy.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw new Error(`the copy fails integrity_check: ${String(check)}`);
    } finally {
      copy.close();
    }
    renameSync(partial, file);
    return { file, pages: totalPages };
  } finally {
    rmSync(partial, { force: true });
  }
}

const ROTATING_NAME = /^parentline-\d{8}T\d{6}Z\.db$/;

/** parentline-20261207T013000Z.db: names sort by time. */
export function rotatingBackupName(at: number): string {
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  return `parentline-${stamp}.db`;
}

/** Takes a backup into `dir` and deletes the oldest rotating backups beyond the newest `keep`. */
export async function rotateBackup(
  client: BetterSqlite3.Database,
  { dir, keep, now }: { dir: string; keep: number; now: number },
  options: BackupOptions = {},
): Promise<BackupResult & { deleted: string[] }> {
  mkdirSync(dir, { recursive: true });
  const result = await backupDatabase(client, join(dir, rotatingBackupName(now)), options);
  const backups = readdirSync(dir)
    .filter((name) => ROTATING_NAME.test(name))
    .sort();
  const deleted = backups.slice(0, Math.max(0, backups.length - keep));
  for (const name of deleted) rmSync(join(dir, name), { force: true });
  return { ...result, deleted };
}
