// `npm run bench:worker`: the closed loop of signed Telegram webhooks that bench:inbound runs,
// against the Worker on local workerd (wrangler's bundle, a tenant's Durable Object) and against
// the Node server (its own process, a temp SQLite file in WAL mode), in one run: each warmed up
// until its rate stops rising, then five 2-second rounds of each, interleaved, compared by their
// medians. Each request is a new chat's "hi": dedupe, a new snapshot and an outbox row, the reply
// sent to the bare server playing the Bot API. Goal (issue 20): the Worker at ≥ 0.5 of Node's
// rate. Plain script (run with tsx), not part of `npm test`. Twilio is not compared: its SDK does
// not run on Workers. The same rounds run against bare servers with nothing of Parentline in them
// (Node's bare Hono server; a bare Worker, and a bare Durable Object behind it, on the same local
// runtime, the object once also sending a message as a step's reply does): their ratio is the
// ceiling the local runtime itself sets on the goal's ratio.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerProcess, startServer } from "../support/server-process";
import { type LocalWorker, startLocalWorker } from "../support/workerd";
import { closedLoop, type LoadResult } from "./inbound/load";
import { describeLoad, fixed, medianRound, warmUp } from "./inbound/rounds";
import { TELEGRAM, telegramRequest } from "./inbound/telegram-updates";

const CONCURRENCY = 16;
const ROUNDS = 5;
const ROUND_MS = 2_000;
const GOAL_RATE_RATIO = 0.5;
const PUBLIC_BASE_URL = "https://parentline.bench.example";
const TENANT = "bench";

function telegramVariables(apiRoot: string) {
  return {
    LOG_LEVEL: "error",
    TELEGRAM_BOT_TOKEN: TELEGRAM.token,
    TELEGRAM_WEBHOOK_SECRET: TELEGRAM.secret,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_API_ROOT: apiRoot,
  };
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), "parentline-worker-bench-"));
  const servers: ServerProcess[] = [];
  let worker: LocalWorker | undefined;
  let bareWorker: LocalWorker | undefined;
  try {
    const bare = await startServer({
      databasePath: join(workDir, "unused.db"),
      entry: "test/bench/inbound/bare-server.ts",
    });
    servers.push(bare);
    const node = await startServer({
      databasePath: join(workDir, "parentline.db"),
      env: { NODE_ENV: "development", PUBLIC_BASE_URL, ...telegramVariables(bare.baseUrl) },
    });
    servers.push(node);
    worker = await startLocalWorker({
      NODE_ENV: "development",
      WORKER_PUBLIC_URL: PUBLIC_BASE_URL,
      ...telegramVariables(bare.baseUrl),
    });
    bareWorker = await startLocalWorker(
      { BOT_API_ROOT: bare.baseUrl },
      "test/bench/worker/bare-wrangler.toml",
    );
    const onNode = telegramRequest(node.baseUrl);
    const onWorker = telegramRequest(`${worker.url}/t/${TENANT}`);
    const bareTargets = {
      "Node's bare server": telegramRequest(bare.baseUrl),
      "bare Worker": telegramRequest(`${bareWorker.url}/t/${TENANT}`),
      "bare Worker → bare object": telegramRequest(`${bareWorker.url}/object/${TENANT}`),
      "bare Worker → bare object, sending one message": telegramRequest(
        `${bareWorker.url}/object-sends/${TENANT}`,
      ),
    };
    console.log("bench:worker — the Node server (its own process) and the Worker on local workerd");
    console.log(`  load generator: this process, ${CONCURRENCY} requests in flight`);

    const warm = { concurrency: CONCURRENCY, roundMs: ROUND_MS };
    const nodeWarmUp = await warmUp(onNode, warm);
    const workerWarmUp = await warmUp(onWorker, warm);
    const nodeRounds: LoadResult[] = [];
    const workerRounds: LoadResult[] = [];
    const atMax = { concurrency: CONCURRENCY, durationMs: ROUND_MS };
    for (const target of Object.values(bareTargets)) await warmUp(target, warm);
    const bareRounds = new Map(Object.keys(bareTargets).map((name) => [name, [] as LoadResult[]]));
    for (let round = 0; round < ROUNDS; round++) {
      nodeRounds.push(await closedLoop(onNode, atMax));
      workerRounds.push(await closedLoop(onWorker, atMax));
      for (const [name, target] of Object.entries(bareTargets))
        bareRounds.get(name)?.push(await closedLoop(target, atMax));
    }
    const nodeMax = medianRound(nodeRounds);
    const workerMax = medianRound(workerRounds);
    const rates = (rounds: number[]) => rounds.map((rate) => fixed(rate, 0)).join(", ");
    const roundRates = (rounds: LoadResult[]) => rates(rounds.map((round) => round.perSecond));
    console.log(`  warm-up rounds: Node ${rates(nodeWarmUp)}/s; Worker ${rates(workerWarmUp)}/s`);
    console.log(`  Node server, rounds: ${roundRates(nodeRounds)}/s`);
    console.log(`    median round: ${describeLoad(nodeMax)}`);
    console.log(`  Worker on workerd, rounds: ${roundRates(workerRounds)}/s`);
    console.log(`    median round: ${describeLoad(workerMax)}`);
    const bareMedian = (name: keyof typeof bareTargets) =>
      medianRound(bareRounds.get(name) ?? []).perSecond;
    console.log("  the local runtime's ceiling (bare servers, the same rounds):");
    for (const name of Object.keys(bareTargets) as (keyof typeof bareTargets)[])
      console.log(`    ${name}: ${roundRates(bareRounds.get(name) ?? [])}/s`);
    const sendingObject = bareMedian("bare Worker → bare object, sending one message");
    const ceiling = sendingObject / bareMedian("Node's bare server");
    const ratio = workerMax.perSecond / nodeMax.perSecond;
    const failures = [...nodeRounds, ...workerRounds].reduce((sum, r) => sum + r.failures, 0);
    console.log("");
    console.log(
      `Ceiling: the bare object sending one message vs Node's bare server (medians): ratio ${fixed(ceiling, 2)}; Parentline's Worker reaches ${fixed(workerMax.perSecond / sendingObject, 2)} of that object's rate, Parentline on Node ${fixed(nodeMax.perSecond / bareMedian("Node's bare server"), 2)} of its bare server's; the bare object alone vs Parentline on Node: ${fixed(bareMedian("bare Worker → bare object") / nodeMax.perSecond, 2)}`,
    );
    console.log(
      `Telegram webhook: Worker rate vs Node rate (medians of ${ROUNDS} interleaved rounds): ratio ${fixed(ratio, 2)} (goal ≥ ${GOAL_RATE_RATIO}) ${ratio >= GOAL_RATE_RATIO && failures === 0 ? "met" : "not met"}`,
    );
  } finally {
    await worker?.dispose();
    await bareWorker?.dispose();
    for (const server of servers) await server.stop().catch(() => server.kill());
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
