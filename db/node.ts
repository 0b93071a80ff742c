// Node only: the better-sqlite3 factory, online backups and group commit (timers of Node's event
// loop). Nothing the Worker bundles may import this.

export { type BackupResult, backupDatabase, rotateBackup } from "./backup";
export {
  closeDatabase,
  isNodeDatabase,
  migrationsFolder,
  type NodeDatabase,
  nodeClientOf,
  openSqliteDatabase,
} from "./client";
export { createGroupCommit } from "./group-commit";
