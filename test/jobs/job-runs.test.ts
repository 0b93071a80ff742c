import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { PeriodicJob } from "../../src/jobs/periodic-job";
import { createLogger } from "../../src/logger";
import { jobRunLog } from "../../src/services/job-runs";
import { snapshotDatabase } from "../support/database-snapshot";
import { eventually } from "../support/eventually";
import { createTestParentline, STAFF, signInStaff } from "../support/parentline";
import { buildParentline } from "../support/test-runtime";

interface JobView {
  name: string;
  intervalMs: number;
  lastRun: { startedAt: string; durationMs: number; result: string; error: string | null } | null;
  nextRunAt: string | null;
}

const HOUR = 3_600_000;

describe("GET /v1/jobs", () => {
  it("gives each job's last run, duration, result and next run, and keeps them across a restart", async () => {
    const app = await createTestParentline();
    const log = createLogger("silent");
    const runs = jobRunLog(app.db, app.clock.now);
    let calls = 0;
    const pruning = new PeriodicJob({
      name: "pruning",
      intervalMs: HOUR,
      runAtStart: true,
      log,
      runs,
      run: async () => {
        calls += 1;
        app.clock.advance(1500);
      },
    });
    const failing = new PeriodicJob({
      name: "failing",
      intervalMs: 2 * HOUR,
      runAtStart: true,
      log,
      runs,
      run: async () => {
        throw new Error("disk full");
      },
    });
    const startedAt = app.clock.now();
    pruning.start();
    failing.start();
    const admin = await signInStaff(app, STAFF.admin);
    const jobs = async () =>
      ((await (await app.json("GET", "/v1/jobs", undefined, admin)).json()) as { jobs: JobView[] })
        .jobs;
    const seen = await eventually("both jobs to have run", async () => {
      const listed = await jobs();
      return listed.filter((job) => job.lastRun).length === 2 ? listed : undefined;
    });
    await pruning.stop();
    await failing.stop();

    expect(calls).toBe(1);
    expect(seen).toEqual([
      {
        name: "failing",
        intervalMs: 2 * HOUR,
        lastRun: {
          startedAt: new Date(startedAt + 1500).toISOString(),
          durationMs: 0,
          result: "failed",
          error: "disk full",
        },
        nextRunAt: new Date(startedAt + 1500 + 2 * HOUR).toISOString(),
      },
      {
        name: "pruning",
        intervalMs: HOUR,
        lastRun: {
          startedAt: new Date(startedAt).toISOString(),
          durationMs: 1500,
          result: "ok",
          error: null,
        },
        nextRunAt: new Date(startedAt + 1500 + HOUR).toISOString(),
      },
    ]);

    // The same database opened by a new server: the runs are still there.
    const config = parseConfig({ NODE_ENV: "test", DATABASE_PATH: ":memory:", DEMO_DATA: "false" });
    const restarted = await buildParentline(config, {
      db: app.db,
      now: app.clock.now,
      logger: log,
    });
    const again = await restarted.app.request("/v1/jobs", {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(((await again.json()) as { jobs: JobView[] }).jobs).toEqual(seen);
  });

  it("is for admins: a teacher gets 403 and nothing changes", async () => {
    const app = await createTestParentline();
    const teacher = await signInStaff(app, STAFF.rao);
    const before = snapshotDatabase(app.db);
    expect((await app.json("GET", "/v1/jobs", undefined, teacher)).status).toBe(403);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });
});
