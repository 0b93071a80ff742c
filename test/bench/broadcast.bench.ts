// `npm run bench:broadcast`: announcements at school scale. Three measurements, each next to a
// baseline run in the same process:
//  1. Resolving a whole-school audience of 50,000 families and writing every recipient and outbox
//     row (createAnnouncement), next to a bare batched insert of the same rows into an identical
//     database. Goals: ≤ 2× the bare insert, and under 2 s.
//  2. The dispatcher sending through the real Twilio channel (twilio SDK) to a loopback stand-in of
//     Twilio's API (its own process) with limits off, next to a bare HTTP client loop posting the
//     same requests one after another to the same stand-in, in interleaved rounds. Goal: ≥ 0.7 of
//     the bare loop's rate.
//  3. With a send limit of 30/s at both ends (the stand-in answers 429 past 30 in any second), the
//     rate the dispatcher achieves. Goal: 95–100 % of the limit, never a 429.
// Plain script (run with tsx), not part of `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type NodeDatabase as Database, openSqliteDatabase } from "../../db/node";
import { seedDemoData } from "../../db/seed";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { buildParentline } from "../../src/parentline";
import { createSecrets } from "../../src/security";
import { createAnnouncement } from "../../src/services/announcement-sending";
import type { ServiceDeps } from "../../src/services/deps";
import { addFamilies } from "../support/families";
import { type ServerProcess, startServer } from "../support/server-process";
import { median } from "./stats";

const FAMILIES = 50_000;
const WRITE_ROUNDS = 3;
const SENDS = 2_000;
const THROUGHPUT_ROUNDS = 5;
const LIMITED_PER_SECOND = 30;
const LIMITED_SENDS = 300;
const GREENFIELD = 1;

const TWILIO = {
  accountSid: `AC${"0".repeat(32)}`,
  authToken: "bench-auth-token-0123456789abcdef",
  from: "+14155550100",
};
const PUBLIC_BASE_URL = "https://parentline.bench.example";

const workDir = mkdtempSync(join(tmpdir(), "parentline-broadcast-bench-"));
let files = 0;
const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** A fresh database file with the demo schools and `families` verified SMS families. */
async function databaseWith(families: number): Promise<{ db: Database; path: string }> {
  const path = join(workDir, `bench-${files++}.db`);
  const db = openSqliteDatabase(path);
  await seedDemoData(db, Date.now());
  addFamilies(db, { schoolId: GREENFIELD, count: families, channel: "sms", now: Date.now() });
  // What the setup wrote is on disk before anything is timed.
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  return { db, path };
}

function serviceDeps(db: Database, env: Record<string, string> = {}): ServiceDeps {
  return {
    db,
    secrets: createSecrets("bench-secret-0123456789abcdef0123"),
    config: parseConfig({ NODE_ENV: "test", DATABASE_PATH: ":memory:", ...env }),
    log: createLogger("silent"),
    now: Date.now,
    phoneChannels: () => ["sms"],
  };
}

const admin = (db: ServiceDeps["db"]) => {
  const row = db.$client
    .prepare<[number], { id: number }>(
      "select id from staff where school_id = ? and role = 'admin' order by id limit 1",
    )
    .get(GREENFIELD);
  if (!row) throw new Error("no demo admin");
  return { staffId: row.id, schoolId: GREENFIELD, roles: ["admin"] };
};

async function announceToSchool(deps: ServiceDeps, text: string): Promise<number> {
  const created = await createAnnouncement(deps, admin(deps.db), {
    audience: { kind: "school" },
    text,
    urgent: true,
  });
  if (!created.ok) throw new Error(`announcement refused: ${created.message}`);
  return created.announcement.id;
}

/**
 * The baseline for 1: one transaction of multi-row INSERTs (500 rows a statement) putting the
 * same number of outbox and recipient rows in, their values already at hand.
 */
function bareInsert(db: Database, rows: number): void {
  const client = db.$client;
  const now = Date.now();
  const announcementId = Number(
    client
      .prepare(
        `insert into announcements (school_id, author_staff_id, audience, body, urgent, status, created_at)
          values (?, ?, '{"kind":"school"}', 'Bare', 1, 'sending', ?)`,
      )
      .run(GREENFIELD, admin(db).staffId, now).lastInsertRowid,
  );
  const guardians = client
    .prepare<[number], { id: number; phone: string }>(
      "select id, phone from guardians where school_id = ? order by id",
    )
    .all(GREENFIELD)
    .slice(0, rows);
  const CHUNK = 500;
  const outboxSql = (n: number) =>
    `insert into outbox (school_id, channel, address, kind, body, status, attempts, next_attempt_at,
      announcement_id, created_at, updated_at) values ${Array(n).fill("(?,'sms',?,'announcement',?,'pending',0,?,?,?,?)").join(",")}`;
  const recipientSql = (n: number) =>
    `insert into announcement_recipients (announcement_id, guardian_id, school_id, outbox_id, channel)
      values ${Array(n).fill("(?,?,?,?,'sms')").join(",")}`;
  client.transaction(() => {
    for (let start = 0; start < guardians.length; start += CHUNK) {
      const chunk = guardians.slice(start, start + CHUNK);
      const outboxValues = chunk.flatMap((g) => [
        GREENFIELD,
        g.phone,
        "About Child: Bare",
        now,
        announcementId,
        now,
        now,
      ]);
      const first =
        Number(client.prepare(outboxSql(chunk.length)).run(...outboxValues).lastInsertRowid) -
        chunk.length +
        1;
      const recipientValues = chunk.flatMap((g, i) => [
        announcementId,
        g.id,
        GREENFIELD,
        first + i,
      ]);
      client.prepare(recipientSql(chunk.length)).run(...recipientValues);
    }
  })();
}

async function measureWrites(): Promise<string[]> {
  const service: number[] = [];
  const bare: number[] = [];
  let written = 0;
  for (let round = 0; round < WRITE_ROUNDS; round++) {
    const a = await databaseWith(FAMILIES);
    const b = await databaseWith(FAMILIES);
    const t0 = performance.now();
    const id = await announceToSchool(serviceDeps(a.db), "Sports day moves to Friday.");
    service.push(performance.now() - t0);
    written =
      a.db.$client
        .prepare<[number], { n: number }>(
          "select count(*) as n from outbox where announcement_id = ?",
        )
        .get(id)?.n ?? 0;
    const t1 = performance.now();
    bareInsert(b.db, FAMILIES);
    bare.push(performance.now() - t1);
    a.db.$client.close();
    b.db.$client.close();
    console.log(
      `  round ${round + 1}: createAnnouncement ${fixed(service.at(-1) ?? 0)} ms, bare insert ${fixed(bare.at(-1) ?? 0)} ms`,
    );
  }
  const serviceMs = median(service);
  const bareMs = median(bare);
  const ratio = serviceMs / bareMs;
  console.log(
    `1. resolve + write ${FAMILIES} families (${written} outbox rows): median ${fixed(serviceMs)} ms; bare insert of the same rows ${fixed(bareMs)} ms`,
  );
  return [
    `resolve + write ${FAMILIES} families vs bare batched insert: ratio ${fixed(ratio, 2)} (goal ≤ 2) ${ratio <= 2 ? "met" : "not met"}`,
    `resolve + write ${FAMILIES} families: ${fixed(serviceMs)} ms vs 2000 ms: ratio ${fixed(serviceMs / 2000, 2)} (goal < 1) ${serviceMs < 2000 ? "met" : "not met"}`,
  ];
}

/** A dispatcher over a database of `families` with a whole-school announcement queued. */
async function queuedBroadcast(families: number, provider: ServerProcess, perSecond: number) {
  const { db } = await databaseWith(families);
  const env = {
    TWILIO_ACCOUNT_SID: TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TWILIO.authToken,
    TWILIO_FROM: TWILIO.from,
    TWILIO_API_BASE: provider.baseUrl,
    TWILIO_SMS_SEGMENTS_PER_SECOND: String(perSecond),
    PUBLIC_BASE_URL,
    LOG_LEVEL: "silent",
    SIMULATOR: "0",
  };
  const parentline = await buildParentline(
    parseConfig({ NODE_ENV: "test", DATABASE_PATH: ":memory:", ...env }),
    { db, logger: createLogger("silent") },
  );
  await announceToSchool(serviceDeps(db, env), "Sports day moves to Friday.");
  return parentline;
}

async function stats(provider: ServerProcess) {
  return (await (await fetch(`${provider.baseUrl}/stats`)).json()) as {
    total: number;
    refused: number;
    firstAt: number | null;
    lastAt: number | null;
  };
}

/** The baseline for 2: the same Messages API requests, one after another, with plain fetch. */
async function bareLoop(provider: ServerProcess, sends: number): Promise<number> {
  const url = `${provider.baseUrl}/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString("base64")}`;
  const t0 = performance.now();
  for (let n = 0; n < sends; n++) {
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        To: `+1646${String(5_000_000 + n).padStart(7, "0")}`,
        From: TWILIO.from,
        Body: "About Child0: Sports day moves to Friday.",
        StatusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/status?outbox=${n}`,
      }).toString(),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`bare send ${n}: ${response.status}`);
  }
  return sends / ((performance.now() - t0) / 1000);
}

async function measureThroughput(): Promise<string[]> {
  const provider = await startServer({
    databasePath: join(workDir, "unused.db"),
    entry: "test/support/twilio-stand-in-server.ts",
  });
  try {
    const parentline = await queuedBroadcast(SENDS, provider, 1_000_000);
    const deps = serviceDeps(parentline.db);
    await bareLoop(provider, 300); // warm-up: connections, JIT
    await drain(parentline.dispatcher); // the first announcement warms the dispatcher up
    const bareRates: number[] = [];
    const dispatcherRates: number[] = [];
    let received = 0;
    // Interleaved rounds, so a busy moment of the machine weighs on both sides alike.
    for (let round = 0; round < THROUGHPUT_ROUNDS; round++) {
      bareRates.push(await bareLoop(provider, SENDS));
      await announceToSchool(deps, "Sports day moves to Friday.");
      await fetch(`${provider.baseUrl}/reset`, { method: "POST" });
      const t0 = performance.now();
      await drain(parentline.dispatcher);
      dispatcherRates.push(SENDS / ((performance.now() - t0) / 1000));
      received = (await stats(provider)).total;
      console.log(
        `  round ${round + 1}: dispatcher ${fixed(dispatcherRates.at(-1) ?? 0, 0)}/s (provider received ${received}), bare fetch loop ${fixed(bareRates.at(-1) ?? 0, 0)}/s`,
      );
    }
    await parentline.stop();
    const dispatcherRate = median(dispatcherRates);
    const bareRate = median(bareRates);
    const ratio = dispatcherRate / bareRate;
    console.log(
      `2. limits off, ${SENDS} messages a round: dispatcher median ${fixed(dispatcherRate, 0)}/s; bare fetch loop median ${fixed(bareRate, 0)}/s`,
    );
    return [
      `dispatcher vs bare HTTP client loop, limits off: ratio ${fixed(ratio, 2)} (goal ≥ 0.7) ${ratio >= 0.7 && received === SENDS ? "met" : "not met"}`,
    ];
  } finally {
    await provider.stop();
  }
}

/** Sends everything due, batch after batch, the way the dispatcher's loop does. */
async function drain(dispatcher: { dispatchDue(): Promise<number> }) {
  while ((await dispatcher.dispatchDue()) > 0) {}
}

async function measureLimited(): Promise<string[]> {
  const provider = await startServer({
    databasePath: join(workDir, "unused.db"),
    entry: "test/support/twilio-stand-in-server.ts",
    env: { LIMIT_PER_SECOND: String(LIMITED_PER_SECOND) },
  });
  try {
    const parentline = await queuedBroadcast(LIMITED_SENDS, provider, LIMITED_PER_SECOND);
    parentline.dispatcher.start();
    const deadline = Date.now() + (LIMITED_SENDS / LIMITED_PER_SECOND) * 1000 * 2 + 10_000;
    let seen = await stats(provider);
    while (seen.total < LIMITED_SENDS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await stats(provider);
    }
    await parentline.stop();
    const spanSeconds = ((seen.lastAt ?? 0) - (seen.firstAt ?? 0)) / 1000;
    // n messages at an even pace span n - 1 intervals.
    const rate = (seen.total - 1) / spanSeconds;
    const share = rate / LIMITED_PER_SECOND;
    console.log(
      `3. limit ${LIMITED_PER_SECOND}/s, ${LIMITED_SENDS} messages: ${seen.total} accepted over ${fixed(spanSeconds, 2)} s = ${fixed(rate, 2)}/s; ${seen.refused} refused with 429`,
    );
    const met = share >= 0.95 && share <= 1 && seen.refused === 0 && seen.total === LIMITED_SENDS;
    return [
      `achieved rate at a ${LIMITED_PER_SECOND}/s limit: ratio ${fixed(share, 3)} of the limit, ${seen.refused} provider 429s (goal 0.95–1.00, no 429) ${met ? "met" : "not met"}`,
    ];
  } finally {
    await provider.stop();
  }
}

async function main() {
  try {
    console.log("bench:broadcast");
    const goals = [
      ...(await measureWrites()),
      ...(await measureThroughput()),
      ...(await measureLimited()),
    ];
    console.log("");
    for (const line of goals) console.log(line);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
