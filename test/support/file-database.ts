// A file database a test closes and opens again, as a restart or an evicted Durable Object does,
// through the driver the run selected (see durable-storage.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { durableSqliteDatabase } from "../../db/durable-sqlite-client";
import {
  closeDatabase,
  migrationsFolder,
  type NodeDatabase,
  openSqliteDatabase,
} from "../../db/node";
import { emulatedDurableStorage, testDriver } from "./durable-storage";

/** One database file in a directory of its own; `remove` deletes both. */
export function testDatabaseFile() {
  const dir = mkdtempSync(join(tmpdir(), "parentline-reopen-"));
  const path = join(dir, "parentline.db");
  const opened: { close: () => Promise<void> }[] = [];
  return {
    /** Opens (migrating on first open) the file through the selected driver. */
    open(): { db: NodeDatabase; close: () => Promise<void> } {
      const handle = testDriver === "durable-sqlite" ? openDurable(path) : openNode(path);
      opened.push(handle);
      return handle;
    },
    async remove() {
      for (const handle of opened) await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function openNode(path: string) {
  const db = openSqliteDatabase(path);
  let closed = false;
  return {
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      await closeDatabase(db);
    },
  };
}

/** The Workers driver over an emulated object's storage kept in the file. */
function openDurable(path: string) {
  const client = new BetterSqlite3(path);
  client.pragma("foreign_keys = ON");
  migrate(drizzle({ client }), { migrationsFolder });
  const db = durableSqliteDatabase(emulatedDurableStorage(client)) as NodeDatabase;
  return {
    db,
    close: async () => {
      if (client.open) client.close();
    },
  };
}
