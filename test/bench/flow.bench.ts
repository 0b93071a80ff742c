// `npm run bench:flow`: every demo guardian of both schools holds a full conversation at once
// (verification → new request → child → topic → message → Send → ticket) through the in-process
// pipeline: POST /dev/chat/send, i.e. simulator webhook → inbound road (dedupe, restore snapshot,
// run the machine, one atomic write of snapshot + outbox) → outbox delivery → replies.
// Next to it, in the same run, a bare XState loop does only what any persisted machine must do per
// message: restore the real parent machine from a JSON snapshot, send one event, take the persisted
// snapshot and write it with one prepared UPDATE into the same kind of SQLite file (WAL).
// Goal: the pipeline costs at most 3× the bare loop per message. Three comparisons are printed:
// the same step (a verified parent at the menu says "menu") through the inbound road, timed in
// rounds interleaved with the bare loop's (the machine is shared, so medians); the road's own time
// per message across whole conversations run one at a time (verification, codes, ticket creation
// included: more work than the bare step); and the whole conversation through HTTP and outbox
// delivery with every parent at once.
// Every staff member has a linked staff chat (without quiet hours), so each ticket-creating step
// also writes its staff alert. A fourth comparison times that step (a verified parent at the
// confirmation says "Send") in interleaved rounds on two databases, one whose staff have linked
// chats (the ticket and its alert in one commit) and one whose staff have none (the ticket alone:
// the alert's recipient lookup still runs and finds no chat). Goal: the step with its alert costs
// at most 1.2× the step without.
// Plain script (run with tsx), not a vitest test; test/bench is excluded from `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asc, count } from "drizzle-orm";
import { createActor, type Snapshot } from "xstate";
import { type Database, schema } from "../../db";
import { openSqliteDatabase } from "../../db/node";
import { PARENT_MACHINE, parentMachine } from "../../flows/parent";
import { parseConfig } from "../../src/config";
import { observeRoadSteps } from "../../src/conversations/step-timing";
import { createLogger } from "../../src/logger";
import { buildParentline, type Parentline } from "../../src/parentline";
import { median, percentile } from "./stats";

const GOAL_RATIO = 3;
const ALERT_GOAL_RATIO = 1.2;
/** Interleaved rounds of the ticket-creating step, with and without its alert. */
const TICKET_ROUNDS = 15;
/** Timed pipeline rounds continue until at least this much wall time has been measured. */
const MIN_PIPELINE_MS = 2_000;
const BARE_WARMUP = 500;
/** Interleaved rounds of the same step through the road and the bare loop, and messages per round. */
const STEP_ROUNDS = 9;
const STEP_ROUND_MESSAGES = 600;
const TICKET_TEXT = "Could we talk about the maths homework this week? Thank you.";

interface Reply {
  text: string;
  kind: string;
  options?: { id: string; label: string }[];
}

interface RoundResult {
  conversations: number;
  messages: number;
  wallMs: number;
  /** Process CPU time (user + system) spent during the round. */
  cpuMs: number;
  latenciesMs: number[];
}

/** Process CPU time so far, in ms (user + system, every thread of the process). */
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

const workDir = mkdtempSync(join(tmpdir(), "parentline-bench-"));
let databases = 0;
const nextDatabasePath = () => join(workDir, `bench-${++databases}.db`);

function removeDatabase(path: string) {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
}

/** A Parentline over a fresh temp-file database (WAL, like production) with the demo data. */
async function freshParentline(): Promise<{ parentline: Parentline; path: string }> {
  const path = nextDatabasePath();
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_PATH: path });
  const parentline = await buildParentline(config, {
    db: openSqliteDatabase(path),
    logger: createLogger("silent"),
  });
  linkStaffChats(parentline.db, Date.now());
  return { parentline, path };
}

/**
 * Gives every staff member a verified simulator chat (their phone) and no quiet hours, as if each
 * had sent /staff and typed the code: every ticket then alerts its staff, whatever the hour.
 */
function linkStaffChats(db: Database, now: number) {
  db.$client
    .prepare(
      `insert into channel_identities (channel, address, school_id, staff_id, verified_at, expires_at, created_at)
       select 'simulator', phone, school_id, id, @now, @now + 365 * 86400000, @now from staff`,
    )
    .run({ now });
  db.$client.prepare(`update staff set alert_preferences = '{"quietHours":null}'`).run();
}

const alertCount = (db: Database) =>
  (
    db.$client.prepare("select count(*) as n from outbox where kind = 'alert'").get() as {
      n: number;
    }
  ).n;

async function guardianPhones(db: Database): Promise<string[]> {
  const rows = await db
    .select({ phone: schema.guardians.phone })
    .from(schema.guardians)
    .orderBy(asc(schema.guardians.id));
  return rows.map((row) => row.phone);
}

/** One parent's scripted conversation, each message awaited before the next. */
async function converse(
  parentline: Parentline,
  phone: string,
  latenciesMs: number[],
): Promise<number> {
  let messages = 0;
  const say = async (text: string): Promise<Reply[]> => {
    const started = performance.now();
    const response = await parentline.app.request("/dev/chat/send", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address: phone, text }),
    });
    if (response.status !== 200) {
      throw new Error(
        `${phone}: send "${text}" failed: ${response.status} ${await response.text()}`,
      );
    }
    const body = (await response.json()) as { replies: Reply[]; duplicate: boolean };
    latenciesMs.push(performance.now() - started);
    messages++;
    return body.replies;
  };
  const all = (replies: Reply[]) => replies.map((reply) => reply.text).join(" | ");

  const greeting = await say("hi");
  // The code message is in the guardian's language ("code is 123456", "código … es 123456").
  const code = all(greeting).match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`${phone}: no one-time code in: ${all(greeting)}`);
  await say(code);
  const afterNew = await say("1"); // New request
  if (afterNew.at(-1)?.options?.some((option) => option.id.startsWith("child:"))) {
    await say("1"); // the first child
  }
  await say("1"); // Academics
  await say(TICKET_TEXT);
  const sent = await say("1"); // Send
  if (!/T-\d+/.test(all(sent))) throw new Error(`${phone}: no ticket created: ${all(sent)}`);
  return messages;
}

/** One round: a fresh database, then every guardian's conversation at once (only that is timed). */
async function pipelineRound(): Promise<RoundResult & { menuSnapshot: unknown }> {
  const { parentline, path } = await freshParentline();
  try {
    const phones = await guardianPhones(parentline.db);
    const latenciesMs: number[] = [];
    const startedCpu = cpuMs();
    const started = performance.now();
    const perParent = await Promise.all(
      phones.map((phone) => converse(parentline, phone, latenciesMs)),
    );
    const wallMs = performance.now() - started;
    const roundCpuMs = cpuMs() - startedCpu;

    const [tickets] = await parentline.db.select({ n: count() }).from(schema.tickets);
    if (tickets?.n !== phones.length) {
      throw new Error(`expected ${phones.length} tickets, found ${tickets?.n}`);
    }
    if (alertCount(parentline.db) < phones.length) {
      throw new Error(`expected an alert per ticket, found ${alertCount(parentline.db)}`);
    }
    // Every conversation now waits at the menu: a real mid-conversation snapshot for the bare loop.
    const [conversation] = await parentline.db.select().from(schema.conversations).limit(1);
    return {
      conversations: phones.length,
      messages: perParent.reduce((sum, n) => sum + n, 0),
      wallMs,
      cpuMs: roundCpuMs,
      latenciesMs,
      menuSnapshot: conversation?.snapshot,
    };
  } finally {
    await parentline.stop();
    removeDatabase(path);
  }
}

/**
 * Every guardian's whole conversation again, one parent at a time on a fresh database, with the
 * road's step timing on: the time the road itself spends per message (reads, restore, transition
 * with its effects — codes, the ticket — and the atomic write), without HTTP or delivery, and with
 * no other conversation running during a step.
 */
async function sequentialRoadRound(): Promise<{ messages: number; stepMs: number[] }> {
  const { parentline, path } = await freshParentline();
  const stepMs: number[] = [];
  try {
    const phones = await guardianPhones(parentline.db);
    const stop = observeRoadSteps((ms) => stepMs.push(ms));
    let messages = 0;
    try {
      for (const phone of phones) messages += await converse(parentline, phone, []);
    } finally {
      stop();
    }
    if (stepMs.length !== messages) {
      throw new Error(`timed ${stepMs.length} road steps for ${messages} messages`);
    }
    return { messages, stepMs };
  } finally {
    await parentline.stop();
    removeDatabase(path);
  }
}

/**
 * The bare loop over a conversations row in its own temp WAL database: per message, JSON.parse the
 * stored snapshot, restore the real parent machine, send "menu" (verified.menu → verified.menu,
 * which says the menu again), take the persisted snapshot, JSON.stringify it and UPDATE the row.
 */
function bareLoop(menuSnapshot: unknown) {
  const path = nextDatabasePath();
  const db = openSqliteDatabase(path);
  const client = db.$client;
  const now = Date.now();
  const inserted = client
    .prepare(
      `insert into conversations (channel, address, machine, machine_version, snapshot, version, created_at, updated_at)
       values ('simulator', '+14155550101', ?, ?, ?, 0, ?, ?)`,
    )
    .run(PARENT_MACHINE.name, PARENT_MACHINE.version, JSON.stringify(menuSnapshot), now, now);
  const id = Number(inserted.lastInsertRowid);
  const update = client.prepare(
    "update conversations set snapshot = ?, version = version + 1, updated_at = ? where id = ?",
  );
  let stored = JSON.stringify(menuSnapshot);
  let said = 0;

  const step = () => {
    const actor = createActor(parentMachine, {
      snapshot: JSON.parse(stored) as Snapshot<unknown>,
      input: { channel: "simulator", address: "+14155550101" },
    });
    actor.on("say", () => {
      said++;
    });
    actor.start();
    actor.send({ type: "command.menu" });
    const persisted = actor.getPersistedSnapshot();
    actor.stop();
    stored = JSON.stringify(persisted);
    update.run(stored, Date.now(), id);
  };

  return {
    run(iterations: number) {
      for (let i = 0; i < iterations; i++) step();
    },
    check() {
      const state = (JSON.parse(stored) as { value: unknown }).value;
      if (JSON.stringify(state) !== JSON.stringify({ verified: "menu" }) || said === 0) {
        throw new Error(`bare loop left the menu: ${JSON.stringify(state)}, said ${said}`);
      }
    },
    close() {
      client.close();
      removeDatabase(path);
    },
  };
}

/**
 * The same step as the bare loop — a verified parent at the menu says "menu" — through the whole
 * inbound road: dedupe, flood check, restore, transition, and the atomic write of the dedupe key,
 * the snapshot (version-checked) and the outbox row of the reply. Messages go one at a time,
 * round-robin over the demo parents, with a test clock moving 20 s per message so no parent trips
 * the flooding guardrail or the idle reset.
 */
async function roadStepLoop() {
  const path = nextDatabasePath();
  let clock = Date.parse("2026-11-23T09:00:00Z");
  const parentline = await buildParentline(
    parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_PATH: path }),
    { db: openSqliteDatabase(path), logger: createLogger("silent"), now: () => clock },
  );
  const phones = await guardianPhones(parentline.db);
  for (const phone of phones) {
    const send = async (text: string) => {
      // The clock moves here too: the outbox pacer schedules sends by it, and a frozen clock would
      // make every reply wait behind all the earlier ones.
      clock += 20_000;
      const response = await parentline.app.request("/dev/chat/send", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ address: phone, text }),
      });
      return ((await response.json()) as { replies: Reply[] }).replies.map((r) => r.text).join(" ");
    };
    const code = (await send("hi")).match(/\b(\d{6})\b/)?.[1];
    if (!code || !/verified|verificad/.test(await send(code)))
      throw new Error(`${phone}: not verified`);
  }
  let sequence = 0;
  const step = async () => {
    clock += 20_000;
    const address = phones[sequence % phones.length] ?? "";
    const outcome = await parentline.road.receive({
      channel: "simulator",
      address,
      providerMessageId: `bench-${sequence++}`,
      text: "menu",
      receivedAt: clock,
    });
    if (outcome.outboxIds.length !== 1) throw new Error(`${address}: expected one reply`);
  };
  return {
    async run(iterations: number) {
      for (let i = 0; i < iterations; i++) await step();
    },
    async close() {
      await parentline.stop();
      removeDatabase(path);
    },
  };
}

/**
 * The ticket-creating step alone: each demo parent, verified, is walked (untimed) to the request's
 * confirmation — menu, New request, child, topic, text — and its "Send" is timed through the road:
 * guardrails, routing, the ticket, its first message, its staff event and, with `alerts`, the alert
 * to the staff chats, in one commit. Without `alerts` no staff chat is linked, so the same step
 * writes no alert. The school's guardrails are widened so every parent can open a ticket per round,
 * and a test clock moves 20 s per message.
 */
async function ticketStepLoop(alerts: boolean) {
  const path = nextDatabasePath();
  let clock = Date.parse("2026-11-23T17:00:00Z");
  const parentline = await buildParentline(
    parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_PATH: path }),
    { db: openSqliteDatabase(path), logger: createLogger("silent"), now: () => clock },
  );
  const { db } = parentline;
  db.$client
    .prepare(
      `update schools set settings = json_set(settings, '$.guardrails',
         json('{"maxOpenTickets":50,"cooldownMinutes":0,"maxTicketsPerWeek":500}'))`,
    )
    .run();
  if (alerts) linkStaffChats(db, clock);
  const phones = await guardianPhones(db);
  let sequence = 0;
  const receive = async (address: string, text: string) => {
    clock += 20_000;
    return parentline.road.receive({
      channel: "simulator",
      address,
      providerMessageId: `ticket-bench-${sequence++}`,
      text,
      receivedAt: clock,
    });
  };
  const children = new Map<string, boolean>();
  for (const phone of phones) {
    const send = async (text: string) => {
      clock += 20_000;
      const response = await parentline.app.request("/dev/chat/send", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ address: phone, text }),
      });
      return (await response.json()) as { replies: Reply[] };
    };
    const code = (await send("hi")).replies
      .map((r) => r.text)
      .join(" ")
      .match(/\b(\d{6})\b/)?.[1];
    if (!code) throw new Error(`${phone}: no code`);
    await send(code);
    const afterNew = await send("1");
    children.set(
      phone,
      afterNew.replies.at(-1)?.options?.some((option) => option.id.startsWith("child:")) ?? false,
    );
    await send("menu");
  }
  return {
    /** One round: every parent creates a ticket; returns the Send steps' wall and CPU ms. */
    async round(): Promise<{ wallMs: number[]; cpuMs: number[] }> {
      const wallMs: number[] = [];
      const cpu: number[] = [];
      const alertsBefore = alertCount(db);
      for (const phone of phones) {
        for (const text of ["menu", "1", ...(children.get(phone) ? ["1"] : []), "1", TICKET_TEXT])
          await receive(phone, text);
        const startedCpu = cpuMs();
        const started = performance.now();
        const outcome = await receive(phone, "1"); // Send
        wallMs.push(performance.now() - started);
        cpu.push(cpuMs() - startedCpu);
        if (!outcome.accepted) throw new Error(`${phone}: Send not accepted`);
      }
      const written = alertCount(db) - alertsBefore;
      if (alerts ? written < phones.length : written !== 0)
        throw new Error(`${alerts ? "with" : "without"} alerts: ${written} alert rows written`);
      return { wallMs, cpuMs: cpu };
    },
    steps: phones.length,
    async close() {
      await parentline.stop();
      removeDatabase(path);
    },
  };
}

const fixed = (n: number, digits = 3) => n.toFixed(digits);
const spread = (values: number[], digits = 3) =>
  `${fixed(Math.min(...values), digits)}–${fixed(Math.max(...values), digits)}`;
const verdict = (ratio: number) => (ratio <= GOAL_RATIO ? "met" : "not met");

/** Wall time of `work`, in ms. */
async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function main() {
  // Warm-up: one untimed round of the pipeline (a few hundred messages); it also yields the
  // verified.menu snapshot the bare loop restores.
  const warmup = await pipelineRound();
  if (!warmup.menuSnapshot) throw new Error("no conversation snapshot after the warm-up round");

  const rounds: RoundResult[] = [];
  let measuredMs = 0;
  while (measuredMs < MIN_PIPELINE_MS) {
    const round = await pipelineRound();
    rounds.push(round);
    measuredMs += round.wallMs;
  }
  const conversations = rounds.reduce((sum, round) => sum + round.conversations, 0);
  const messages = rounds.reduce((sum, round) => sum + round.messages, 0);
  const roundsCpuMs = rounds.reduce((sum, round) => sum + round.cpuMs, 0);
  const latencies = rounds.flatMap((round) => round.latenciesMs).sort((a, b) => a - b);
  const pipelinePerMessage = measuredMs / messages;

  const sequential = await sequentialRoadRound();
  const sequentialPerMessage =
    sequential.stepMs.reduce((sum, ms) => sum + ms, 0) / sequential.messages;

  // The same step through the road and the bare loop, in alternating rounds: a burst of load from
  // elsewhere on the machine then lands on one round of one side, and the medians shrug it off.
  const bare = bareLoop(warmup.menuSnapshot);
  const road = await roadStepLoop();
  const roadMs: number[] = [];
  const bareMs: number[] = [];
  const roadCpuMs: number[] = [];
  const bareCpuMs: number[] = [];
  /** Wall and CPU ms per message of one round of `work`. */
  const round = async (work: () => unknown, wall: number[], cpu: number[]) => {
    const startedCpu = cpuMs();
    wall.push((await timed(work)) / STEP_ROUND_MESSAGES);
    cpu.push((cpuMs() - startedCpu) / STEP_ROUND_MESSAGES);
  };
  try {
    bare.run(BARE_WARMUP);
    await road.run(BARE_WARMUP);
    for (let n = 0; n < STEP_ROUNDS; n++) {
      await round(() => road.run(STEP_ROUND_MESSAGES), roadMs, roadCpuMs);
      await round(() => bare.run(STEP_ROUND_MESSAGES), bareMs, bareCpuMs);
    }
    bare.check();
  } finally {
    bare.close();
    await road.close();
  }
  const barePerMessage = median(bareMs);
  const roadPerMessage = median(roadMs);
  const stepRatios = roadMs.map((ms, round) => ms / (bareMs[round] ?? Number.NaN));
  const stepRatio = median(stepRatios);
  const stepCpuRatio = median(roadCpuMs.map((ms, n) => ms / (bareCpuMs[n] ?? Number.NaN)));
  const sequentialRatio = sequentialPerMessage / barePerMessage;
  const ratio = pipelinePerMessage / barePerMessage;

  // The ticket-creating step with its alert and without, in alternating rounds (medians).
  const withAlert = await ticketStepLoop(true);
  const withoutAlert = await ticketStepLoop(false);
  const alertRoundMs: number[] = [];
  const plainRoundMs: number[] = [];
  const alertRoundCpuMs: number[] = [];
  const plainRoundCpuMs: number[] = [];
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  try {
    await withAlert.round(); // warm-up, untimed
    await withoutAlert.round();
    for (let n = 0; n < TICKET_ROUNDS; n++) {
      const alerted = await withAlert.round();
      alertRoundMs.push(mean(alerted.wallMs));
      alertRoundCpuMs.push(mean(alerted.cpuMs));
      const plain = await withoutAlert.round();
      plainRoundMs.push(mean(plain.wallMs));
      plainRoundCpuMs.push(mean(plain.cpuMs));
    }
  } finally {
    await withAlert.close();
    await withoutAlert.close();
  }
  const alertRatios = alertRoundMs.map((ms, n) => ms / (plainRoundMs[n] ?? Number.NaN));
  const alertRatio = median(alertRatios);
  const alertCpuRatio = median(alertRoundCpuMs.map((ms, n) => ms / (plainRoundCpuMs[n] ?? 1)));

  const parentsPerRound = rounds[0]?.conversations ?? 0;
  const stepMessages = STEP_ROUNDS * STEP_ROUND_MESSAGES;
  console.log("flow benchmark: full parent conversation (verification → ticket)");
  console.log(
    `  pipeline: ${rounds.length} round${rounds.length === 1 ? "" : "s"} × ${parentsPerRound} parents at once (fresh WAL database each round, built untimed)`,
  );
  console.log(`  conversations:                ${conversations}`);
  console.log(`  messages:                     ${messages}`);
  console.log(`  wall time:                    ${fixed(measuredMs / 1000, 2)} s`);
  console.log(`  conversations/s:              ${fixed(conversations / (measuredMs / 1000), 1)}`);
  console.log(`  messages/s:                   ${fixed(messages / (measuredMs / 1000), 1)}`);
  console.log(
    `  pipeline ms/message:          ${fixed(pipelinePerMessage)} wall (wall time / messages; ${parentsPerRound} conversations in flight on one thread), ${fixed(roundsCpuMs / messages)} CPU`,
  );
  console.log(
    `  pipeline latency per message: p50 ${fixed(percentile(latencies, 50), 2)} ms, p99 ${fixed(percentile(latencies, 99), 2)} ms (under that concurrency)`,
  );
  console.log(
    `  road step per message, whole conversations one at a time: ${sequential.messages} messages, mean ${fixed(sequentialPerMessage)} ms, p50 ${fixed(median(sequential.stepMs))} ms (verification, codes and the ticket included)`,
  );
  console.log(
    `  same step (verified parent says "menu"), ${STEP_ROUNDS} interleaved rounds × ${STEP_ROUND_MESSAGES} messages each side, ms/message median (spread):`,
  );
  console.log(
    `    bare restore+transition+persist: ${fixed(barePerMessage)} wall (${spread(bareMs)}), ${fixed(median(bareCpuMs))} CPU`,
  );
  console.log(
    `    through the inbound road:        ${fixed(roadPerMessage)} wall (${spread(roadMs)}), ${fixed(median(roadCpuMs))} CPU`,
  );
  console.log(
    `    ratio per round: wall ${spread(stepRatios, 2)}, median ${fixed(stepRatio, 2)}; CPU median ${fixed(stepCpuRatio, 2)} (wall includes checkpoint fsyncs, which the road's ~8 pages a commit meet more often than the bare loop's one)`,
  );
  // For context (not the measure, which is restore + transition + persist per message):
  // the same comparison where a step also issues codes, creates tickets, or crosses HTTP.
  console.log(
    `  context: road step per message across whole conversations, one at a time (codes, tickets and other domain work included) vs bare loop: ${fixed(sequentialRatio, 2)}×`,
  );
  console.log(
    `  context: whole conversation through HTTP + outbox delivery, wall time per message with ${parentsPerRound} parents at once, vs bare loop: ${fixed(ratio, 2)}×`,
  );
  console.log(
    `  ticket-creating step ("Send"), ${TICKET_ROUNDS} interleaved rounds × ${withAlert.steps} parents each side, ms/step median (spread):`,
  );
  console.log(
    `    with its staff alert:    ${fixed(median(alertRoundMs))} wall (${spread(alertRoundMs)}), ${fixed(median(alertRoundCpuMs))} CPU`,
  );
  console.log(
    `    without (no staff chat): ${fixed(median(plainRoundMs))} wall (${spread(plainRoundMs)}), ${fixed(median(plainRoundCpuMs))} CPU`,
  );
  console.log(
    `    ratio per round: wall ${spread(alertRatios, 2)}, median ${fixed(alertRatio, 2)}; CPU median ${fixed(alertCpuRatio, 2)}`,
  );
  console.log(
    `ticket-creating step through the inbound road with its staff alert (ticket + alert outbox row in one commit) vs the same step without (no staff chat linked; ${TICKET_ROUNDS * withAlert.steps} steps each side, median of ${alertRatios.length} interleaved rounds), wall time: ratio ${fixed(alertRatio, 2)} (goal ≤ ${ALERT_GOAL_RATIO}) ${alertRatio <= ALERT_GOAL_RATIO ? "met" : "not met"}`,
  );
  console.log(
    `restore + transition + persist per message through the inbound road (same step: dedupe, version guard, flood guardrail and outbox row; ${stepMessages} messages, median of ${stepRatios.length} rounds) vs bare loop, wall time: ratio ${fixed(stepRatio, 2)} (goal ≤ ${GOAL_RATIO}) ${verdict(stepRatio)}`,
  );
}

try {
  await main();
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
