// The composition root for Node: the better-sqlite3 file, demo data, every channel (whatsapp-web.js
// included), timers, group commit and backups, around the core (src/compose.ts). src/main.ts
// serves it; tests build it over an in-memory database.
import { getConnInfo } from "@hono/node-server/conninfo";
import { channelRegistry } from "../bots";
import {
  closeDatabase,
  createGroupCommit,
  isNodeDatabase,
  type NodeDatabase,
  openSqliteDatabase,
} from "../db/node";
import { composeParentline } from "./compose";
import type { Config } from "./config";
import type { ChannelRegistry } from "./contracts";
import type { Logger } from "./logger";
import { rotatingBackups } from "./node/backups";
import { nodeStaticFiles } from "./node/static-files";
import type { Timers } from "./services/staff-event-hub";

export { VERSION } from "./compose";

export interface BuildOptions {
  logger?: Logger;
  now?: () => number;
  /** An already open database (tests); otherwise DATABASE_PATH is opened. */
  db?: NodeDatabase;
  /** The bots/ folders to set up; bots/index.ts's registry unless a test swaps in fakes. */
  channelRegistry?: ChannelRegistry;
  /** The event streams' heartbeat timer (tests tick it by hand). */
  timers?: Timers;
}

export async function buildParentline(config: Config, options: BuildOptions = {}) {
  const now = options.now ?? Date.now;
  const db = options.db ?? openSqliteDatabase(config.databasePath);
  const parentline = await composeParentline(config, {
    ...options,
    db,
    now,
    channelRegistry: options.channelRegistry ?? channelRegistry,
    staticFiles: nodeStaticFiles(),
    // Tests may run the core over the Durable Object's driver: it commits each step alone.
    ...(isNodeDatabase(db)
      ? { groupCommit: createGroupCommit(db), closeDatabase: () => closeDatabase(db) }
      : {}),
    takeBackup: rotatingBackups(db, config, now),
    clientIp: (c) => {
      try {
        return getConnInfo(c).remote.address;
      } catch {
        return undefined; // no socket: an in-process request (tests)
      }
    },
  });
  // Node's tests and tools reach the better-sqlite3 connection under it.
  return { ...parentline, db };
}

export type Parentline = Awaited<ReturnType<typeof buildParentline>>;
