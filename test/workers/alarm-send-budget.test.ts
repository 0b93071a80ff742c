// On the local Workers runtime: a tenant's whole-school announcement goes out in alarm runs of at
// most OUTBOX_SENDS_PER_RUN sends, back to back, each family once. A run's sends are the ones in
// flight together, so a provider answering slowly sees no more than the budget at once; a tenant
// with no budget keeps the dispatcher's 8 lanes busy.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerStats, resetProvider, SchoolApi } from "../bench/worker/school-api";
import { eventually } from "../support/eventually";
import { type ServerProcess, startServer } from "../support/server-process";
import { type LocalWorker, startLocalWorker } from "../support/workerd";

const FAMILIES = 30;
const SENDS_PER_RUN = 3;
/** workerd shares the machine's cores with the rest of the suite: waits allow for that. */
const SLOW_RUNTIME_MS = 60_000;
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "workers-budget-token-0123456789ab",
  TWILIO_FROM: "+14155550100",
};

let provider: ServerProcess;
let worker: LocalWorker;

beforeAll(async () => {
  // Answers each message 100 ms later, so that the sends of one run overlap.
  provider = await startServer({
    databasePath: "unused.db",
    entry: "test/support/twilio-stand-in-server.ts",
    env: { ANSWER_AFTER_MS: "100" },
  });
  const twilio = {
    ...TWILIO,
    TWILIO_API_BASE: provider.baseUrl,
    TWILIO_SMS_SEGMENTS_PER_SECOND: "100000",
  };
  worker = await startLocalWorker({
    NODE_ENV: "development",
    APP_SECRET: "workers-send-budget-secret-of-at-least-32-chars",
    LOG_LEVEL: "warn",
    // Twilio's channel is on only with a public URL its webhooks are signed for.
    WORKER_PUBLIC_URL: "https://parentline.example",
    TENANT_CONFIG_CAPPED: JSON.stringify({
      ...twilio,
      OUTBOX_SENDS_PER_RUN: String(SENDS_PER_RUN),
    }),
    // Empty is unset: this tenant has no budget, as on Node.
    TENANT_CONFIG_UNCAPPED: JSON.stringify({ ...twilio, OUTBOX_SENDS_PER_RUN: "" }),
  });
}, SLOW_RUNTIME_MS);

afterAll(async () => {
  await worker?.dispose();
  await provider?.stop();
});

/** Announces to tenant's whole school; returns the rows queued and what the provider saw. */
async function announceOn(tenant: string) {
  const api = new SchoolApi(`${worker.url}/t/${tenant}`, provider);
  await api.signInAdmin();
  await api.importFamilies(FAMILIES);
  await resetProvider(provider);
  const made = await api.announceToSchool("Sports day moves to Friday.");
  const rows = Object.values(made.byChannel).reduce((sum, n) => sum + n, 0);
  const stats = await eventually(
    "every message at the provider",
    async () => {
      const seen = await providerStats(provider);
      return seen.total >= rows ? seen : undefined;
    },
    SLOW_RUNTIME_MS,
  );
  return { rows, stats };
}

describe("an announcement on a tenant's object with a send budget", () => {
  it(
    "goes out in alarm runs of at most the budget, back to back, each family once",
    async () => {
      const { rows, stats } = await announceOn("capped");
      expect(rows).toBeGreaterThan(FAMILIES);
      expect(stats.total).toBe(rows);
      expect(Object.values(stats.perRecipient).every((n) => n === 1)).toBe(true);
      expect(stats.maxInFlight).toBeLessThanOrEqual(SENDS_PER_RUN);
    },
    SLOW_RUNTIME_MS * 2,
  );

  it(
    "keeps more sends in flight in one run when the tenant has no budget",
    async () => {
      const { rows, stats } = await announceOn("uncapped");
      expect(stats.total).toBe(rows);
      expect(stats.maxInFlight).toBeGreaterThan(SENDS_PER_RUN);
    },
    SLOW_RUNTIME_MS * 2,
  );
});
