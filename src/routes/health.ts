// GET /health: the service, the database and each channel's state.
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { Database } from "../../db";
import type { AppEnv } from "../http/app-env";

export interface HealthOptions {
  db: Database;
  /** Each bots/ folder's state: "on", a live state, or why it is off. */
  channels: () => Record<string, string>;
  version: string;
}

export function healthRoutes({ db, channels, version }: HealthOptions) {
  return new Hono<AppEnv>().get("/", async (c) => {
    let database = "ok";
    try {
      await db.run(sql`select 1`);
    } catch {
      database = "unavailable";
    }
    const healthy = database === "ok";
    return c.json(
      { status: healthy ? "ok" : "degraded", version, database, channels: channels() },
      healthy ? 200 : 503,
    );
  });
}
