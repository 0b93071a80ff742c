// `npm run db:backup -- FILE`: a consistent copy of the live database (DATABASE_PATH, from the
// environment or .env as `npm start` reads it) through SQLite's online backup, while the server runs.
import { existsSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { backupDatabase } from "../db/node";
import { ConfigError, parseConfig } from "./config";
import { loadEnvFile } from "./node/env-file";

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file || process.argv.length > 3) {
    console.error("Usage: npm run db:backup -- FILE   (FILE must not exist yet)");
    return 2;
  }
  loadEnvFile(".env", process.env);
  let databasePath: string;
  try {
    databasePath = parseConfig(process.env).databasePath;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 1;
  }
  if (databasePath === ":memory:" || !existsSync(databasePath)) {
    console.error(`No database at ${databasePath} (DATABASE_PATH) to back up`);
    return 1;
  }
  // Its own connection, never migrating or changing the live file; waits out a writer's lock.
  const source = new BetterSqlite3(databasePath, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    const { pages } = await backupDatabase(source, file);
    console.log(`Backed up ${databasePath} to ${file} (${pages} pages, integrity_check ok)`);
    return 0;
  } catch (error) {
    console.error(`Backup failed: ${(error as Error).message}`);
    return 1;
  } finally {
    source.close();
  }
}

process.exitCode = await main();
