// A file database a test closes and opens again, as a process restarts (Node's side of
// test-runtime.ts's testDatabaseFile).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, type NodeDatabase, openSqliteDatabase } from "../../db/node";

/** One database file in a directory of its own; `remove` deletes both. */
export function testDatabaseFile() {
  const dir = mkdtempSync(join(tmpdir(), "parentline-reopen-"));
  const path = join(dir, "parentline.db");
  const opened: { close: () => Promise<void> }[] = [];
  return {
    /** Opens the file (migrating it on the first open). */
    open(): { db: NodeDatabase; close: () => Promise<void> } {
      const db = openSqliteDatabase(path);
      let closed = false;
      const handle = {
        db,
        close: async () => {
          if (closed) return;
          closed = true;
          await closeDatabase(db);
        },
      };
      opened.push(handle);
      return handle;
    },
    async remove() {
      for (const handle of opened) await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
