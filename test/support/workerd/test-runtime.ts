// The workerd project's stand-in for test/support/test-runtime.ts (vitest.config.ts swaps it in):
// the suites' Parentline is composed as a tenant's Durable Object composes it (the Workers
// channels and static files, no Node adapters) over the storage of the object the running test
// executes in (test/support/workerd/setup.ts).
import { workerChannelRegistry } from "../../../bots/workers";
import { durableSqliteDatabase } from "../../../db/durable-sqlite-client";
import type { NodeDatabase } from "../../../db/node";
import { composeParentline } from "../../../src/compose";
import type { Config } from "../../../src/config";
import type { BuildOptions } from "../../../src/parentline";
import { workerStaticFiles } from "../../../src/workers/static-files";
import { claimObjectStorage } from "./current-object";

export type { Parentline } from "../../../src/parentline";

export const testDriver: string = "workerd";

/**
 * The running test's object database, migrated before the test began. Typed as Node's so the
 * suites compile as they are. A test runs in one object, so it has one database: a second
 * Parentline in the same test would silently share it, so asking twice is refused.
 */
export function openTestDatabase(): NodeDatabase {
  return durableSqliteDatabase(claimObjectStorage("once")) as NodeDatabase;
}

/**
 * The object's database opened again and again, as an evicted object is rebuilt: the storage
 * stays, everything in memory above it (drizzle, the statement cache, the core) is new.
 */
export function testDatabaseFile() {
  return {
    open() {
      const db = durableSqliteDatabase(claimObjectStorage("reopened")) as NodeDatabase;
      return { db, close: async () => {} };
    },
    remove: async () => {},
  };
}

export async function buildParentline(config: Config, options: BuildOptions = {}) {
  const db = options.db ?? openTestDatabase();
  const parentline = await composeParentline(config, {
    ...options,
    db,
    channelRegistry: options.channelRegistry ?? workerChannelRegistry,
    staticFiles: workerStaticFiles,
    processMetrics: false,
    clientIp: (c) => c.req.header("cf-connecting-ip"),
  });
  return { ...parentline, db };
}
