// A tenant's Durable Object that cannot build its core, in Node over a stand-in for ctx.storage on
// better-sqlite3 (workerd's own run is tenant-misconfigured.test.ts): a failed start is not kept,
// so a storage hiccup costs one request and not the object's life; wrong variables are answered
// 503 with the problems, and the object asks to be reset so that its next request reads the
// variables again.
import { readFileSync } from "node:fs";
import BetterSqlite3 from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import type { DurableSqlStorage } from "../../db/durable-sqlite-client";
import { TENANT_HEADER } from "../../src/workers/tenant-config";
import { TenantObject } from "../../src/workers/tenant-object";

// What wrangler bundles as text (.sql files, the desk's assets) is read here instead.
vi.mock("../../db/durable-migrations", () => {
  const journal = JSON.parse(readFileSync("db/migrations/meta/_journal.json", "utf8")) as {
    entries: { idx: number; tag: string }[];
  };
  const migrations = Object.fromEntries(
    journal.entries.map((entry) => [
      `m${String(entry.idx).padStart(4, "0")}`,
      readFileSync(`db/migrations/${entry.tag}.sql`, "utf8"),
    ]),
  );
  return { durableMigrations: { journal, migrations } };
});
vi.mock("../../src/workers/static-files", () => ({
  workerStaticFiles: { desk: { css: "", js: "" } },
}));

const TENANT = "greenfield";
const WORKER_ENV = {
  NODE_ENV: "development",
  APP_SECRET: "tenant-object-test-secret-of-32-chars",
  LOG_LEVEL: "silent",
};

type SqlValue = ArrayBuffer | string | number | null;

/** `ctx.storage.sql` and `transactionSync` over an in-memory better-sqlite3 database. */
function sqlStorage(failFirstSql: boolean): DurableSqlStorage {
  const client = new BetterSqlite3(":memory:");
  let failing = failFirstSql;
  return {
    sql: {
      exec(query: string, ...bindings: unknown[]) {
        if (failing) {
          failing = false;
          throw new Error("Network connection lost.");
        }
        const statement = client.prepare(query);
        const columns = statement.reader ? statement.columns().map((column) => column.name) : [];
        const rows = statement.reader ? (statement.raw(true).all(...bindings) as SqlValue[][]) : [];
        if (!statement.reader) statement.run(...bindings);
        const objects = rows.map((row) =>
          Object.fromEntries(columns.map((column, index) => [column, row[index] ?? null])),
        );
        return Object.assign(objects[Symbol.iterator](), {
          toArray: () => objects,
          raw: () => rows[Symbol.iterator](),
        });
      },
    },
    transactionSync: <T>(closure: () => T): T => client.transaction(closure)(),
  };
}

/** An object's state over an in-memory database; `failFirstSql` makes storage throw once. */
function objectState(options: { failFirstSql?: boolean } = {}) {
  const storage = sqlStorage(options.failFirstSql ?? false);
  const kept = new Map<string, unknown>();
  const resets: string[] = [];
  return {
    resets,
    state: {
      storage: Object.assign(storage, {
        get: async <T>(key: string) => kept.get(key) as T | undefined,
        put: async <T>(key: string, value: T) => void kept.set(key, value),
        setAlarm: () => {},
      }),
      blockConcurrencyWhile: <T>(callback: () => Promise<T>) => callback(),
      abort: (reason?: string) => void resets.push(reason ?? ""),
    },
  };
}

const health = (object: TenantObject) =>
  object.fetch(new Request("http://tenant/health", { headers: { [TENANT_HEADER]: TENANT } }));

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("a tenant object that cannot start", () => {
  it("builds its core again at the next request after a storage failure", async () => {
    const { state, resets } = objectState({ failFirstSql: true });
    const object = new TenantObject(state, WORKER_ENV);

    const failed = await health(object);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ error: { code: "tenant_unavailable" } });

    expect((await health(object)).status).toBe(200);
    await settle();
    expect(resets).toHaveLength(1);
  });

  it("answers wrong variables 503 with the problems, then asks to be reset to read them again", async () => {
    const { state, resets } = objectState();
    const wrong = new TenantObject(state, {
      ...WORKER_ENV,
      TENANT_CONFIG_GREENFIELD: JSON.stringify({ OUTBOX_POLL_MS: "soon" }),
    });

    const refused = await health(wrong);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      error: {
        code: "tenant_misconfigured",
        message: expect.stringContaining("Fix TENANT_CONFIG_GREENFIELD"),
        details: ["OUTBOX_POLL_MS: Invalid input: expected number, received NaN"],
      },
    });
    await settle();
    expect(resets).toEqual([expect.stringContaining("reset to read its variables again")]);

    // The runtime's next object for the tenant starts on the Worker's version with the fix.
    const fixed = new TenantObject(state, {
      ...WORKER_ENV,
      TENANT_CONFIG_GREENFIELD: JSON.stringify({ OUTBOX_POLL_MS: "500" }),
    });
    expect((await health(fixed)).status).toBe(200);
  });
});
