// The database layer's public surface: schema, the Node factory, the atomic-write helpers.

export { commitAtomically, type PlannedWrite, WriteConflict, type WriteResult } from "./atomic";
export { type BackupResult, backupDatabase, rotateBackup } from "./backup";
export { closeDatabase, type Database, migrationsFolder, openSqliteDatabase } from "./client";
export { createGroupCommit, type GroupCommit } from "./group-commit";
export { placeholder, preparedPerDatabase } from "./prepared";
export * as schema from "./schema";
