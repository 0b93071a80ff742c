import { defineConfig } from "vitest/config";

// Files named *.timing.test.ts measure how fast something keeps up (a worker thread, a timer) and
// need the machine's cores to themselves: they run after the rest of the suite, one at a time.
const TIMING_TESTS = "test/**/*.timing.test.ts";

/** Suites that reach the database only through the core (not better-sqlite3's own methods). */
const DURABLE_DRIVER_SUITES = [
  "test/db/test-driver.test.ts",
  "test/db/prepared.test.ts",
  "test/outbox/**/*.test.ts",
  "test/conversations/**/*.test.ts",
  "test/announcements/**/*.test.ts",
  "test/staff-chat/**/*.test.ts",
  "test/jobs/**/*.test.ts",
  "test/http/**/*.test.ts",
];
/** Of those, the ones that close the better-sqlite3 connection under the app. */
const NODE_CLIENT_SUITES = ["test/http/errors.test.ts", "test/http/health-and-docs.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: "suite",
          include: ["test/**/*.test.ts"],
          exclude: ["test/bench/**", "node_modules/**", TIMING_TESTS],
        },
      },
      {
        // The database, service and road suites again, through the Durable Object's driver
        // (drizzle's durable-sqlite over an emulated ctx.storage: test/support/durable-storage.ts).
        extends: true,
        test: {
          name: "durable-sqlite",
          include: DURABLE_DRIVER_SUITES,
          exclude: NODE_CLIENT_SUITES,
          env: { PARENTLINE_TEST_DRIVER: "durable-sqlite" },
        },
      },
      {
        extends: true,
        test: {
          name: "timing",
          include: [TIMING_TESTS],
          poolOptions: { forks: { singleFork: true } },
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
