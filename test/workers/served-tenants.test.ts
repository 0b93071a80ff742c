// Which tenants a production Worker serves, on the local Workers runtime (workerd) with the
// variables as deployed: a tenant named in TENANT_NAMES or given a TENANT_CONFIG_<TENANT> reaches
// its object; any other name is answered 404 by the Worker itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../support/workerd";

let worker: LocalWorker;
/** workerd shares the machine's cores with the rest of the suite; its first request is slow. */
const SLOW_RUNTIME_MS = 60_000;

beforeAll(async () => {
  worker = await startLocalWorker({
    NODE_ENV: "production",
    APP_SECRET: "workers-served-tenants-secret-of-40-chars",
    LOG_LEVEL: "silent",
    TENANT_NAMES: "greenfield",
    TENANT_CONFIG_RIVERSIDE_EAST: JSON.stringify({ OUTBOX_POLL_MS: "5000" }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
});

describe("a production Worker's tenants", () => {
  it(
    "serves the tenants it names, each from its own object",
    async () => {
      for (const tenant of ["greenfield", "riverside-east"]) {
        const response = await worker.fetch(`/t/${tenant}/health`);
        expect({ tenant, status: response.status }).toEqual({ tenant, status: 200 });
        await expect(response.json()).resolves.toMatchObject({ status: "ok", database: "ok" });
      }
    },
    SLOW_RUNTIME_MS,
  );

  it(
    "answers a name it does not serve 404, in JSON for the API and as a page for a browser",
    async () => {
      const api = await worker.fetch("/t/greenfeld/health");
      expect(api.status).toBe(404);
      await expect(api.json()).resolves.toEqual({
        error: { code: "tenant_not_found", message: "No tenant named “greenfeld” is served here" },
      });
      const page = await worker.fetch("/t/greenfeld/staff");
      expect(page.status).toBe(404);
      await expect(page.text()).resolves.toContain(
        "“greenfeld” is not a school&#39;s address here.",
      );
    },
    SLOW_RUNTIME_MS,
  );
});
