// `npm run bench:worker-broadcast [families]`: one whole-school announcement in one tenant's
// Durable Object on local workerd and on the Node server (its own process), in one run. Each
// imports a roster of families (3,000 by default; each guardian reachable by SMS through the phone
// on the school's record) through /v1/import/roster, then the demo admin announces to the whole
// school through /v1/announcements, and the bench measures
//   (a) recipients planned per second: the announcement's fan-out into the outbox, until the API
//       answers (the rows are written before it does), and
//   (b) recipients delivered per second: from that answer until the Twilio stand-in (its own
//       process) has accepted every message, through the real Twilio channel. Unpaced (an SMS
//       pace far above what the runtime reaches), then on a second tenant/server paced at a short
//       code's 30 segments/s with the stand-in refusing past 30 in any second, for a fixed window.
// It checks what it measures: every family gets exactly one message and the announcement's report
// (counts and every recipient page) agrees; in the paced window, nobody gets a message twice. The
// stand-in's 429s (a send past the limit) are counted and printed. Goal (issue 20): the Worker at
// ≥ 0.5 of Node's rate. The local runtime's own ceiling is measured in the same run: a bare
// Durable Object (test/bench/worker/bare-worker.ts) sending 1,000 messages to the same stand-in
// with plain fetch, 8 in flight as the dispatcher keeps them: without writing, writing a row after
// each send, and one statement marking 8 rows after every 8 sends. Plain script (run with tsx),
// not part of `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { familyPhone } from "../support/families";
import { type ServerProcess, startServer } from "../support/server-process";
import { type LocalWorker, startLocalWorker } from "../support/workerd";
import { fixed } from "./inbound/rounds";
import {
  type AnnouncementReport,
  providerStats,
  resetProvider,
  SchoolApi,
  type TwilioStandIn,
} from "./worker/school-api";

const FAMILIES = Number(process.argv[2] ?? 3_000);
/** A US short code's send limit (Twilio: 30 message segments per second). */
const PACED_PER_SECOND = 30;
/** How long the paced announcement is watched: its rate, not its end, is what is measured. */
const PACED_WINDOW_MS = 15_000;
/** Far above what either runtime sends: the dispatcher's pacer never holds a message back. */
const UNPACED_PER_SECOND = 1_000_000;
/** Messages the bare object sends a round: a steady rate, and a run that stays short. */
const BARE_SENDS = 1_000;
const DELIVERY_TIMEOUT_MS = 180_000;
const GOAL_RATE_RATIO = 0.5;
const PUBLIC_BASE_URL = "https://parentline.bench.example";
const TEXT = "Sports day moves to Friday.";
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "bench-auth-token-0123456789abcdef",
  TWILIO_FROM: "+14155550100",
};
const TENANTS = { unpaced: "broadcast", paced: "paced" } as const;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () =>
  loadavg()
    .map((n) => fixed(n, 2))
    .join(", ");

function twilioVariables(provider: TwilioStandIn, perSecond: number) {
  return {
    ...TWILIO,
    TWILIO_API_BASE: provider.baseUrl,
    TWILIO_SMS_SEGMENTS_PER_SECOND: String(perSecond),
  };
}

interface Broadcast {
  recipients: number;
  plannedMs: number;
  /** Unpaced: until every message was accepted; paced: the window watched. */
  deliveredMs: number;
  delivered: number;
  /** Accepted messages over their span, by the stand-in's clock. */
  providerRate: number;
  problems: string[];
  /** Sends the stand-in refused with 429 (retried by the dispatcher). */
  refused: number;
}

/** Announces and times the answer; returns the announcement's id and its rows. */
async function announce(api: SchoolApi) {
  const t0 = performance.now();
  const made = await api.announceToSchool(TEXT);
  const plannedMs = performance.now() - t0;
  const rows = Object.values(made.byChannel).reduce((sum, n) => sum + n, 0);
  return { id: made.id, rows, plannedMs, answeredAt: performance.now() };
}

/** What is wrong with who got what: each family once, and nobody twice. */
function deliveryProblems(
  stats: Awaited<ReturnType<typeof providerStats>>,
  expected: number,
  { all }: { all: boolean },
): string[] {
  const problems: string[] = [];
  const twice = Object.entries(stats.perRecipient).filter(([, n]) => n > 1);
  if (twice.length > 0) problems.push(`${twice.length} recipients got more than one message`);
  if (all) {
    if (stats.total !== expected) problems.push(`${stats.total} messages for ${expected} rows`);
    const missing = Array.from({ length: FAMILIES }, (_, n) => familyPhone(n)).filter(
      (phone) => stats.perRecipient[phone] !== 1,
    );
    if (missing.length > 0) problems.push(`${missing.length} families without exactly one message`);
  }
  return problems;
}

/** What the announcement's own report says wrong once every message went. */
function reportProblems({ counts, recipients }: AnnouncementReport, expected: number): string[] {
  const problems: string[] = [];
  if (counts.sent !== expected || counts.pending !== 0 || counts.failed !== 0)
    problems.push(
      `report counts sent ${counts.sent}, pending ${counts.pending}, failed ${counts.failed} for ${expected}`,
    );
  const notSent = recipients.filter((r) => r.status !== "sent" || r.channel !== "sms");
  if (recipients.length !== expected || notSent.length > 0)
    problems.push(
      `report lists ${recipients.length} recipients, ${notSent.length} not sent by SMS`,
    );
  return problems;
}

/** The report once the dispatcher has recorded every send (it records just after each answer). */
async function settledReport(api: SchoolApi, id: number, expected: number) {
  let report = await api.report(id);
  for (let tries = 0; tries < 100 && report.counts.sent < expected; tries++) {
    await sleep(200);
    report = await api.report(id);
  }
  return report;
}

async function unpacedBroadcast(api: SchoolApi, provider: TwilioStandIn): Promise<Broadcast> {
  await resetProvider(provider);
  const { id, rows, plannedMs, answeredAt } = await announce(api);
  let stats = await providerStats(provider);
  const deadline = answeredAt + DELIVERY_TIMEOUT_MS;
  while (stats.total < rows && performance.now() < deadline) {
    await sleep(50);
    stats = await providerStats(provider);
  }
  const deliveredMs = performance.now() - answeredAt;
  const report = await settledReport(api, id, rows);
  await sleep(1_000); // a late second send of anything would show now
  stats = await providerStats(provider);
  return {
    recipients: rows,
    plannedMs,
    deliveredMs,
    delivered: stats.total,
    providerRate: rateOf(stats),
    problems: [...deliveryProblems(stats, rows, { all: true }), ...reportProblems(report, rows)],
    refused: stats.refused,
  };
}

async function pacedBroadcast(api: SchoolApi, provider: TwilioStandIn): Promise<Broadcast> {
  await resetProvider(provider);
  const { rows, plannedMs, answeredAt } = await announce(api);
  await sleep(PACED_WINDOW_MS);
  const stats = await providerStats(provider);
  return {
    recipients: rows,
    plannedMs,
    deliveredMs: performance.now() - answeredAt,
    delivered: stats.total,
    providerRate: rateOf(stats),
    problems: deliveryProblems(stats, rows, { all: false }),
    refused: stats.refused,
  };
}

/** n messages at an even pace span n - 1 intervals. */
const rateOf = (stats: { total: number; firstAt: number | null; lastAt: number | null }) =>
  stats.total > 1 ? (stats.total - 1) / (((stats.lastAt ?? 0) - (stats.firstAt ?? 0)) / 1000) : 0;

const perSecond = (count: number, ms: number) => count / (ms / 1000);

function describe(name: string, b: Broadcast, paced: boolean) {
  console.log(
    `  ${name}: planned ${b.recipients} rows in ${fixed(b.plannedMs, 0)} ms = ${fixed(perSecond(b.recipients, b.plannedMs), 0)}/s; ` +
      (paced
        ? `${b.delivered} accepted in the ${fixed(b.deliveredMs / 1000, 1)} s after the answer, ${fixed(b.providerRate, 2)}/s over their span, ${b.refused} refused with 429`
        : `all ${b.delivered} accepted ${fixed(b.deliveredMs, 0)} ms after the answer = ${fixed(perSecond(b.delivered, b.deliveredMs), 0)}/s (${fixed(b.providerRate, 0)}/s over the sends' span)`) +
      `; ${b.problems.length === 0 ? (paced ? "nobody got a message twice" : "each family got exactly one message, the report agrees") : `PROBLEMS: ${b.problems.join("; ")}`}`,
  );
}

/** The bare object sends BARE_SENDS messages in one request; returns its rate. */
async function bareBroadcast(
  bare: LocalWorker,
  provider: TwilioStandIn,
  writeEvery: number,
): Promise<number> {
  await resetProvider(provider);
  const t0 = performance.now();
  const response = await bare.fetch(
    `/object-broadcast/bench?n=${BARE_SENDS}&writeEvery=${writeEvery}`,
  );
  await response.arrayBuffer();
  const ms = performance.now() - t0;
  const { total } = await providerStats(provider);
  if (response.status !== 200 || total !== BARE_SENDS)
    throw new Error(`bare broadcast: ${response.status}, ${total} of ${BARE_SENDS} accepted`);
  console.log(
    `  bare object, plain fetch${writeEvery === 1 ? ", a row written after each send" : writeEvery > 1 ? `, ${writeEvery} rows written in one statement every ${writeEvery} sends` : ""}: ${total} sent in ${fixed(ms, 0)} ms = ${fixed(perSecond(total, ms), 0)}/s`,
  );
  return perSecond(total, ms);
}

async function schoolOn(base: string, provider: TwilioStandIn, where: string): Promise<SchoolApi> {
  const api = new SchoolApi(base, provider);
  const t0 = performance.now();
  await api.signInAdmin();
  await api.importFamilies(FAMILIES);
  console.log(
    `  ${where}: ${FAMILIES} families imported in ${fixed((performance.now() - t0) / 1000, 1)} s (not measured)`,
  );
  return api;
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), "parentline-worker-broadcast-"));
  const servers: ServerProcess[] = [];
  let worker: LocalWorker | undefined;
  let bareWorker: LocalWorker | undefined;
  const startNode = async (provider: ServerProcess, pace: number, file: string) => {
    const node = await startServer({
      databasePath: join(workDir, file),
      env: {
        NODE_ENV: "development",
        LOG_LEVEL: "error",
        PUBLIC_BASE_URL,
        ...twilioVariables(provider, pace),
      },
    });
    servers.push(node);
    return node;
  };
  try {
    const provider = await startServer({
      databasePath: join(workDir, "unused.db"),
      entry: "test/support/twilio-stand-in-server.ts",
    });
    const limited = await startServer({
      databasePath: join(workDir, "unused.db"),
      entry: "test/support/twilio-stand-in-server.ts",
      env: { LIMIT_PER_SECOND: String(PACED_PER_SECOND) },
    });
    servers.push(provider, limited);
    worker = await startLocalWorker({
      NODE_ENV: "development",
      LOG_LEVEL: "error",
      WORKER_PUBLIC_URL: PUBLIC_BASE_URL,
      [`TENANT_CONFIG_${TENANTS.unpaced.toUpperCase()}`]: JSON.stringify(
        twilioVariables(provider, UNPACED_PER_SECOND),
      ),
      [`TENANT_CONFIG_${TENANTS.paced.toUpperCase()}`]: JSON.stringify(
        twilioVariables(limited, PACED_PER_SECOND),
      ),
    });
    bareWorker = await startLocalWorker(
      { TWILIO_API_BASE: provider.baseUrl },
      "test/bench/worker/bare-wrangler.toml",
    );
    console.log(
      `bench:worker-broadcast — ${FAMILIES} families, one whole-school announcement, on the Node server and in one tenant's object on local workerd`,
    );
    console.log(`  load average at start: ${load()}`);

    console.log(`unpaced (SMS pace ${UNPACED_PER_SECOND}/s, the stand-in without a limit):`);
    const node = await startNode(provider, UNPACED_PER_SECOND, "unpaced.db");
    const onNode = await schoolOn(node.baseUrl, provider, "Node");
    const onWorker = await schoolOn(`${worker.url}/t/${TENANTS.unpaced}`, provider, "Worker");
    const nodeUnpaced = await unpacedBroadcast(onNode, provider);
    describe("Node", nodeUnpaced, false);
    const workerUnpaced = await unpacedBroadcast(onWorker, provider);
    describe("Worker", workerUnpaced, false);
    const bareSends = await bareBroadcast(bareWorker, provider, 0);
    const bareWrites = await bareBroadcast(bareWorker, provider, 1);
    const bareBatchedWrites = await bareBroadcast(bareWorker, provider, 8);
    console.log(`  load average: ${load()}`);
    await node.stop();

    console.log(
      `paced (SMS pace ${PACED_PER_SECOND} segments/s, a short code's; the stand-in refuses past ${PACED_PER_SECOND} in any second), watched ${PACED_WINDOW_MS / 1000} s:`,
    );
    const nodePacedServer = await startNode(limited, PACED_PER_SECOND, "paced.db");
    const pacedOnNode = await schoolOn(nodePacedServer.baseUrl, limited, "Node");
    const pacedOnWorker = await schoolOn(`${worker.url}/t/${TENANTS.paced}`, limited, "Worker");
    const nodePaced = await pacedBroadcast(pacedOnNode, limited);
    describe("Node", nodePaced, true);
    await nodePacedServer.stop();
    const workerPaced = await pacedBroadcast(pacedOnWorker, limited);
    describe("Worker", workerPaced, true);
    console.log(`  load average at the end: ${load()}`);

    const ratio = (w: number, n: number) => w / n;
    const correct = (...runs: Broadcast[]) => runs.every((b) => b.problems.length === 0);
    const goal = (what: string, r: number, runs: Broadcast[]) =>
      `${what}: ratio ${fixed(r, 2)} (goal ≥ ${GOAL_RATE_RATIO}) ${r >= GOAL_RATE_RATIO && correct(...runs) ? "met" : "not met"}`;
    const unpaced = [nodeUnpaced, workerUnpaced];
    const planned = ratio(
      perSecond(workerUnpaced.recipients, workerUnpaced.plannedMs),
      perSecond(nodeUnpaced.recipients, nodeUnpaced.plannedMs),
    );
    const delivered = ratio(
      perSecond(workerUnpaced.delivered, workerUnpaced.deliveredMs),
      perSecond(nodeUnpaced.delivered, nodeUnpaced.deliveredMs),
    );
    const paced = ratio(workerPaced.providerRate, nodePaced.providerRate);
    console.log("");
    const workerRate = perSecond(workerUnpaced.delivered, workerUnpaced.deliveredMs);
    console.log(
      `Ceiling: the bare object sends ${fixed(bareSends, 0)}/s, ${fixed(bareWrites, 0)}/s writing a row after each, ${fixed(bareBatchedWrites, 0)}/s writing 8 rows every 8; Parentline's Worker reaches ${fixed(workerRate / bareWrites, 2)} of the writing bare object's rate; the bare object alone vs Parentline on Node: ${fixed(bareSends / perSecond(nodeUnpaced.delivered, nodeUnpaced.deliveredMs), 2)}`,
    );
    console.log(
      `Paced: Node ${fixed(nodePaced.providerRate / PACED_PER_SECOND, 3)} and the Worker ${fixed(workerPaced.providerRate / PACED_PER_SECOND, 3)} of the ${PACED_PER_SECOND}/s limit (${nodePaced.refused} and ${workerPaced.refused} sends refused with 429, retried)`,
    );
    console.log(goal("Broadcast recipients planned/s, Worker vs Node", planned, unpaced));
    console.log(
      goal("Broadcast recipients delivered/s unpaced, Worker vs Node", delivered, unpaced),
    );
    console.log(
      goal(`Broadcast recipients delivered/s at ${PACED_PER_SECOND}/s, Worker vs Node`, paced, [
        nodePaced,
        workerPaced,
      ]),
    );
  } finally {
    await worker?.dispose();
    await bareWorker?.dispose();
    for (const server of servers) await server.stop().catch(() => server.kill());
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
