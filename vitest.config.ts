import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type Plugin } from "vitest/config";

// Files named *.timing.test.ts measure how fast something keeps up (a worker thread, a timer) and
// need the machine's cores to themselves: they run after the rest of the suite, one at a time.
const TIMING_TESTS = "test/**/*.timing.test.ts";

/**
 * The database, service and road suites, which run a second time inside workerd: they reach the
 * database only through the core, so a Durable Object's storage can stand under them.
 */
const WORKERD_SUITES = [
  "test/db/test-driver.test.ts",
  "test/outbox/**/*.test.ts",
  "test/conversations/**/*.test.ts",
  "test/announcements/**/*.test.ts",
  "test/staff-chat/**/*.test.ts",
  "test/jobs/**/*.test.ts",
  "test/http/**/*.test.ts",
];
/** Of those, the ones that need Node where they stand. */
const NODE_ONLY_SUITES = [
  // Close the better-sqlite3 connection under the app.
  "test/http/errors.test.ts",
  "test/http/health-and-docs.test.ts",
  // Restarts a file database and reads fixtures from disk.
  "test/conversations/inbound-road.test.ts",
  // Drives whatsapp-web.js, which needs Chromium (on Workers it is the gateway's).
  "test/http/security-headers.test.ts",
];

const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The workerd project's runtime: test/support/test-runtime.ts (Node's composition root and
 * better-sqlite3) is swapped for test/support/workerd/test-runtime.ts wherever it is imported.
 */
function workerdTestRuntime(): Plugin {
  const nodeRuntime = fromRoot("./test/support/test-runtime.ts");
  const workerdRuntime = fromRoot("./test/support/workerd/test-runtime.ts");
  return {
    name: "parentline:workerd-test-runtime",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!source.endsWith("test-runtime")) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === nodeRuntime ? workerdRuntime : null;
    },
  };
}

/** The migrations' SQL as text, as wrangler.toml's [[rules]] bundle it for the Worker. */
function sqlAsText(): Plugin {
  return {
    name: "parentline:sql-as-text",
    transform(code, id) {
      return id.endsWith(".sql")
        ? { code: `export default ${JSON.stringify(code)};`, map: null }
        : null;
    },
  };
}

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
        // The database, service and road suites inside workerd: each test runs in a fresh tenant
        // Durable Object (the class and settings wrangler.toml deploys), its SQLite storage
        // migrated first (test/support/workerd/setup.ts), with the Parentline the object composes.
        // One isolate serves the project's files in turn, as an object's isolate serves requests.
        extends: true,
        plugins: [
          cloudflareTest({ wrangler: { configPath: "./wrangler.toml" } }),
          workerdTestRuntime(),
          sqlAsText(),
        ],
        resolve: {
          // msw's Node server intercepts fetch inside workerd too; its other interceptors ship
          // only Node builds, which workerd's "browser" condition would otherwise resolve away.
          alias: {
            "@mswjs/interceptors/ClientRequest": fromRoot(
              "./node_modules/@mswjs/interceptors/lib/node/interceptors/ClientRequest/index.mjs",
            ),
            "@mswjs/interceptors/XMLHttpRequest": fromRoot(
              "./node_modules/@mswjs/interceptors/lib/node/interceptors/XMLHttpRequest/index.mjs",
            ),
          },
        },
        test: {
          name: "workerd",
          include: WORKERD_SUITES,
          exclude: NODE_ONLY_SUITES,
          setupFiles: ["test/support/workerd/setup.ts"],
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: "timing",
          include: [TIMING_TESTS],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
