// A backup taken with `npm run db:backup` while a running server is busy writing, restored the way
// the README says, starts a server that has everything acknowledged before the backup began. The
// server's own rotating backup (BACKUP_DIR) is taken at start.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { runEntry, startServer, stopAllServers } from "../support/server-process";

/** Phones of people the demo school does not know: each message is a full step all the same. */
const PHONES = Array.from({ length: 6 }, (_, i) => `+1415555${String(7000 + i)}`);

describe("backing up a live server and restoring it", { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "parentline-backup-e2e-"));

  afterAll(async () => {
    await stopAllServers();
    rmSync(dir, { recursive: true, force: true });
  });

  it("restores a backup taken with writes in flight, and starts on it with the data there", async () => {
    const live = join(dir, "live.db");
    const rotating = join(dir, "rotating");
    const server = await startServer({ databasePath: live, env: { BACKUP_DIR: rotating } });
    const send = (address: string, id: string) =>
      fetch(`${server.baseUrl}/dev/chat/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ address, text: "hi", id }),
      });

    // One sender per phone, each waiting for its answer before sending again, until told to stop.
    const acknowledged: { id: string; address: string; at: number }[] = [];
    let sending = true;
    let sent = 0;
    const senders = PHONES.map(async (address) => {
      for (let n = 0; sending && n < 2_000; n++) {
        const id = `load-${n}`;
        sent++;
        const response = await send(address, id);
        expect(response.status).toBe(200);
        await response.body?.cancel();
        acknowledged.push({ id, address, at: performance.now() });
      }
    });
    while (acknowledged.length < 30) await new Promise((resolve) => setTimeout(resolve, 20));

    const backup = join(dir, "backup.db");
    const began = performance.now();
    const { code, output } = await runEntry({
      entry: "src/db-backup.ts",
      args: [backup],
      databasePath: live,
    });
    const ended = performance.now();
    expect({ code, output }).toMatchObject({
      code: 0,
      output: expect.stringContaining("integrity_check ok"),
    });
    // Keep writing a little after, then stop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    sending = false;
    await Promise.all(senders);
    const before = acknowledged.filter((ack) => ack.at < began);
    const during = acknowledged.filter((ack) => ack.at >= began && ack.at <= ended);
    expect(during.length, "messages answered while the backup ran").toBeGreaterThan(0);
    expect(sent).toBeGreaterThan(before.length);
    expect(await server.stop()).toBe(0);
    // The server's own job took a rotating backup at start.
    expect(readdirSync(rotating)).toEqual([expect.stringMatching(/^parentline-\d{8}T\d{6}Z\.db$/)]);

    // Restore: the server is stopped; the backup becomes the database file.
    const restored = join(dir, "restored.db");
    copyFileSync(backup, restored);
    const check = new BetterSqlite3(restored, { readonly: true });
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    const keys = new Set(
      (
        check.prepare("select provider_message_id as id from inbound_messages").all() as {
          id: string;
        }[]
      ).map((row) => row.id),
    );
    check.close();
    const missing = before.filter((ack) => !keys.has(`${ack.address}:${ack.id}`));
    expect(missing).toEqual([]);

    const again = await startServer({ databasePath: restored });
    const health = (await (await fetch(`${again.baseUrl}/health`)).json()) as { database: string };
    expect(health.database).toBe("ok");
    // The restored server knows those messages: sent again, they are duplicates.
    const replay = before.at(-1);
    const answer = await fetch(`${again.baseUrl}/dev/chat/send`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: replay?.address, text: "hi", id: replay?.id }),
    });
    expect(((await answer.json()) as { duplicate: boolean }).duplicate).toBe(true);
    expect(await again.stop()).toBe(0);
  });
});
