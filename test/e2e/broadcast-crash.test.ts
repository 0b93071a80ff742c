// A 10,000-family broadcast survives the server being SIGKILLed in the middle of it. The provider
// (Twilio's Messages API, test/support/twilio-stand-in-server.ts) runs in its own process and
// counts what each number received. After a restart the outbox finishes the job: every family gets
// the announcement, and only messages the dead server held at the kill (claimed under its lease,
// so possibly accepted by the provider without a receipt written) may arrive twice. Twilio's
// Messages API has no idempotency key to close that window.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../db/node";
import { seedDemoData } from "../../db/seed";
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  PUBLIC_BASE_URL,
  TWILIO_NUMBER,
} from "../channels/twilio/support";
import { addFamilies } from "../support/families";
import { codeIn, STAFF } from "../support/parentline";
import { type ServerProcess, startServer, stopAllServers } from "../support/server-process";

const FAMILIES = 10_000;
/** The kill comes once the provider has this many messages: well inside the broadcast. */
const KILL_AFTER = 2_500;
const LEASE_MS = 2_000;
const GREENFIELD = 1;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface ProviderStats {
  total: number;
  recipients: number;
  perRecipient: Record<string, number>;
}

const workDir = mkdtempSync(join(tmpdir(), "parentline-broadcast-crash-"));
afterAll(async () => {
  await stopAllServers();
  rmSync(workDir, { recursive: true, force: true });
});

describe("a broadcast killed mid-way", { timeout: 240_000 }, () => {
  it("reaches every family after a restart, twice only for messages held at the kill", async () => {
    const databasePath = join(workDir, "parentline.db");
    const setup = openSqliteDatabase(databasePath);
    await seedDemoData(setup, Date.now());
    const phones = addFamilies(setup, {
      schoolId: GREENFIELD,
      count: FAMILIES,
      channel: "sms",
      now: Date.now(),
    });
    setup.$client.close();

    const provider = await startServer({
      databasePath: join(workDir, "unused.db"),
      entry: "test/support/twilio-stand-in-server.ts",
    });
    const providerGet = async <T>(path: string) =>
      (await (await fetch(`${provider.baseUrl}${path}`)).json()) as T;
    const env = {
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_FROM: TWILIO_NUMBER,
      TWILIO_API_BASE: provider.baseUrl,
      // Limits off: the test is about crashing, not pacing (bench:broadcast measures pacing).
      TWILIO_SMS_SEGMENTS_PER_SECOND: "100000",
      PUBLIC_BASE_URL,
      OUTBOX_LEASE_MS: String(LEASE_MS),
    };
    let server: ServerProcess = await startServer({ databasePath, env });
    const api = async (method: string, path: string, body?: unknown, token?: string) =>
      fetch(`${server.baseUrl}${path}`, {
        method,
        headers: {
          "content-type": "application/json",
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    // The admin signs in; the code comes by SMS, so from the provider.
    expect((await api("POST", "/v1/auth/otp/request", { phone: STAFF.admin })).status).toBe(202);
    const code = await eventually(
      "the admin's sign-in code",
      async () => {
        const { bodies } = await providerGet<{ bodies: string[] }>(
          `/messages?to=${encodeURIComponent(STAFF.admin)}`,
        );
        return bodies.length > 0 ? codeIn(bodies.slice(-1)) : undefined;
      },
      10_000,
    );
    const verified = await api("POST", "/v1/auth/otp/verify", { phone: STAFF.admin, code });
    const { accessToken } = (await verified.json()) as { accessToken: string };

    const created = await api(
      "POST",
      "/v1/announcements",
      { audience: { kind: "school" }, text: "School closes at noon on Friday.", urgent: true },
      accessToken,
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };

    await eventually(
      `${KILL_AFTER} messages at the provider`,
      async () =>
        (await providerGet<ProviderStats>("/stats")).total >= KILL_AFTER ? true : undefined,
      60_000,
    );
    await server.kill();
    const atKill = await providerGet<ProviderStats>("/stats");
    const file = new BetterSqlite3(databasePath, { readonly: true });
    const held = file
      .prepare<[number], { held: number }>(
        "select count(*) as held from outbox where announcement_id = ? and status = 'sending'",
      )
      .get(id)?.held;
    file.close();

    server = await startServer({ databasePath, env });
    await eventually(
      "the broadcast to finish after the restart",
      async () => {
        const response = await api("GET", `/v1/announcements/${id}`, undefined, accessToken);
        const { counts } = (await response.json()) as { counts: { pending: number; sent: number } };
        return counts.pending === 0 ? counts : undefined;
      },
      120_000,
    );

    const final = await providerGet<ProviderStats>("/stats");
    const missing = phones.filter((phone) => !final.perRecipient[phone]);
    const twice = phones.reduce((sum, phone) => sum + ((final.perRecipient[phone] ?? 1) - 1), 0);
    console.log(
      `broadcast crash test: ${FAMILIES} families; killed after ${atKill.total} provider messages; ` +
        `${held} messages held by the killed server; ${twice} sent twice`,
    );
    expect(atKill.total).toBeLessThan(FAMILIES); // the kill really came mid-broadcast
    expect(missing).toEqual([]);
    expect(twice).toBeLessThanOrEqual(held ?? 0);
    expect(await server.stop()).toBe(0);
  });
});
