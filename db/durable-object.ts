// Workers only: opens a Durable Object's SQLite storage and applies db/migrations to it, from
// drizzle-kit's bundled index. There is no checkpointer or group commit here: the object owns its
// storage and commits each step alone.
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import type { Database } from "./database";
import { durableMigrations } from "./durable-migrations";
import { type DurableSqlStorage, durableSqliteDatabase } from "./durable-sqlite-client";

export type { DurableSqlStorage } from "./durable-sqlite-client";

/** Opens the object's database and applies every migration it has not applied yet. */
export async function openDurableObjectDatabase(storage: DurableSqlStorage): Promise<Database> {
  const db = durableSqliteDatabase(storage);
  await migrate(db as never, durableMigrations);
  return db;
}
