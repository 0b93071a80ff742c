// A tenant whose TENANT_CONFIG_<TENANT> is wrong, on the local Workers runtime (workerd): each of
// its requests is answered 503 with what is wrong and where to fix it (never a bare 500, never a
// value of a variable), again and again, while every other tenant works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, startLocalWorker } from "../support/workerd";

let worker: LocalWorker;
/** workerd shares the machine's cores with the rest of the suite; its first request is slow. */
const SLOW_RUNTIME_MS = 60_000;

beforeAll(async () => {
  worker = await startLocalWorker({
    NODE_ENV: "development",
    APP_SECRET: "workers-misconfigured-secret-of-32-chars",
    LOG_LEVEL: "silent",
    TENANT_CONFIG_NOT_JSON: '{"TELEGRAM_BOT_TOKEN": "111:secret-token",',
    TENANT_CONFIG_BAD_VALUE: JSON.stringify({
      TELEGRAM_BOT_TOKEN: "111:secret-token",
      OUTBOX_POLL_MS: "soon",
    }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
});

describe("a tenant with a bad TENANT_CONFIG_*", () => {
  it(
    "answers 503 naming the variable that is not JSON, on every request",
    async () => {
      for (const attempt of [1, 2]) {
        const response = await worker.fetch("/t/not-json/health");
        expect({ attempt, status: response.status }).toEqual({ attempt, status: 503 });
        const body = await response.text();
        expect(JSON.parse(body)).toMatchObject({
          error: {
            code: "tenant_misconfigured",
            message: expect.stringContaining("TENANT_CONFIG_NOT_JSON"),
            details: [expect.stringMatching(/^TENANT_CONFIG_NOT_JSON: not a JSON object/)],
          },
        });
        expect(body).not.toContain("secret-token");
      }
    },
    SLOW_RUNTIME_MS,
  );

  it(
    "answers 503 naming the setting that is wrong, on every request",
    async () => {
      for (const attempt of [1, 2]) {
        const response = await worker.fetch("/t/bad-value/health");
        expect({ attempt, status: response.status }).toEqual({ attempt, status: 503 });
        expect(await response.json()).toMatchObject({
          error: {
            code: "tenant_misconfigured",
            details: [expect.stringMatching(/^OUTBOX_POLL_MS: /)],
          },
        });
      }
    },
    SLOW_RUNTIME_MS,
  );

  it("leaves the other tenants working", async () => {
    const response = await worker.fetch("/t/fine/health");
    expect(response.status).toBe(200);
  });
});
