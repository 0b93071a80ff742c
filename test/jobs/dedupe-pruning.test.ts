// Inbound dedupe keys are kept past each provider's redelivery window and then pruned, by an
// indexed delete, from a job that runs every hour in the server.
import { afterEach, describe, expect, it, vi } from "vitest";
import { schema } from "../../db";
import { createUpkeepJobs, DEDUPE_PRUNE_INTERVAL_MS } from "../../src/jobs";
import { createLogger } from "../../src/logger";
import { DEDUPE_RETENTION_MS } from "../../src/services/dedupe-pruning";
import { createTestParentline, DEMO, type TestParentline } from "../support/parentline";

const DAY = 24 * 60 * 60 * 1000;

const keys = (app: TestParentline) =>
  app.db.$client
    .prepare("select channel, provider_message_id as id from inbound_messages order by channel, id")
    .all() as { channel: string; id: string }[];

function receive(app: TestParentline, channel: string, id: string, at: number) {
  app.db
    .insert(schema.inboundMessages)
    .values({ channel, providerMessageId: id, address: "+14155550102", receivedAt: at })
    .run();
}

afterEach(() => {
  vi.useRealTimers();
});

describe("pruning inbound dedupe keys", () => {
  it("keeps every provider's keys past its redelivery window, then prunes them", async () => {
    // Telegram holds undelivered updates 24 hours and Meta retries for 7 days.
    expect(DEDUPE_RETENTION_MS.telegram).toBeGreaterThan(1 * DAY);
    expect(DEDUPE_RETENTION_MS.telegram).toBeLessThan(7 * DAY);
    for (const keep of Object.values(DEDUPE_RETENTION_MS))
      expect(keep).toBeGreaterThanOrEqual(DEDUPE_RETENTION_MS.telegram);
    expect(DEDUPE_RETENTION_MS["whatsapp-cloud"]).toBeGreaterThan(7 * DAY);

    const app = await createTestParentline();
    const start = app.clock.now();
    expect((await app.say(DEMO.parentWithOneChild, "hi", "m-1")).body.duplicate).toBe(false);
    receive(app, "telegram", "update:1", start);
    receive(app, "whatsapp-cloud", "wamid.1", start);
    receive(app, "sms", "SM1", start);

    app.clock.set(start + 6 * DAY);
    expect(await app.upkeep.pruneDedupe()).toBe(1);
    expect(keys(app).map((key) => key.channel)).toEqual(["simulator", "sms", "whatsapp-cloud"]);
    // Still inside the window: a redelivery is still a duplicate.
    expect((await app.say(DEMO.parentWithOneChild, "hi", "m-1")).body.duplicate).toBe(true);

    app.clock.set(start + 13 * DAY);
    expect(await app.upkeep.pruneDedupe()).toBe(0);
    app.clock.set(start + 15 * DAY);
    expect(await app.upkeep.pruneDedupe()).toBe(3);
    expect(keys(app)).toEqual([]);
  });

  it("deletes through the channel and time index, not a scan of the table", async () => {
    const app = await createTestParentline();
    const plan = app.db.$client
      .prepare(
        `explain query plan delete from inbound_messages where rowid in (
          select rowid from inbound_messages where channel = ? and received_at < ? limit 5000)`,
      )
      .all("telegram", 0) as { detail: string }[];
    const details = plan.map((step) => step.detail).join("\n");
    expect(details).toContain(
      "USING COVERING INDEX inbound_messages_channel_time (channel=? AND received_at<?)",
    );
    expect(details).not.toMatch(/SCAN inbound_messages(?! USING)/);
  });

  it("runs every hour in the server", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const app = await createTestParentline();
    const upkeep = createUpkeepJobs({
      db: app.db,
      config: { backups: undefined },
      log: createLogger("silent"),
      now: app.clock.now,
    });
    receive(app, "telegram", "update:1", app.clock.now());
    app.clock.advance(DEDUPE_RETENTION_MS.telegram + 1);
    upkeep.start();
    await vi.advanceTimersByTimeAsync(DEDUPE_PRUNE_INTERVAL_MS - 1_000);
    expect(keys(app)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(keys(app)).toEqual([]);
    await upkeep.stop();
  });
});
