import { defineConfig } from "vitest/config";

// Files named *.timing.test.ts measure how fast something keeps up (a worker thread, a timer) and
// need the machine's cores to themselves: they run after the rest of the suite, one at a time.
const TIMING_TESTS = "test/**/*.timing.test.ts";

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
