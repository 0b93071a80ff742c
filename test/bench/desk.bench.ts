// `npm run bench:desk`: the staff desk at a large school's scale (bench:staff's data: 50,000
// tickets, 1,000,000 messages). Measures through app.request the server time of the queue and
// ticket pages (p95), and the time from a parent's message entering the inbound road to its event
// reaching each of 1,000 open desk streams (/staff/events), next to 1,000 GET /v1/events streams
// open in the same run. Goals: pages p95 ≤ 50 ms; desk push p99 ≤ 250 ms and within 1.2× of the
// API stream's. Plain script (run with tsx), not a vitest test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteDatabase } from "../../db/node";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { buildParentline } from "../../src/parentline";
import { createSecrets } from "../../src/security";
import type { ServiceDeps } from "../../src/services/deps";
import { issueRefreshToken } from "../../src/services/refresh-tokens";
import { issueAccessToken } from "../../src/services/staff-auth";
import { codeIn } from "../support/parentline";
import { generateStaffData, MESSAGES, TICKETS } from "./staff-data";
import { percentile } from "./stats";

const STREAMS = 1_000;
const EVENTS = 20;
const GOALS = { pageP95: 50, pushP99: 250, pushRatio: 1.2 };
const PARENT = "+14155550102";

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
const ms = (value: number) => `${value.toFixed(2)} ms`;

const workDir = mkdtempSync(join(tmpdir(), "parentline-desk-bench-"));
const path = join(workDir, "desk.db");
const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_PATH: path });
const parentline = await buildParentline(config, {
  db: openSqliteDatabase(path),
  logger: createLogger("silent"),
});
const now = Date.now();
const data = generateStaffData(parentline.db, now);
console.log(
  `generated ${TICKETS} tickets and ${MESSAGES} messages in ${data.seconds.toFixed(1)} s`,
);

// --- Sessions -----------------------------------------------------------------------------------

// The desk's cookie holds a refresh token; the API takes an access token. Both for the same member.
const deps = {
  db: parentline.db,
  secrets: createSecrets(config.appSecret),
  now: Date.now,
} as unknown as ServiceDeps;
const member = (role: string, fn?: string) => {
  const row = data.staffRows.find((s) => s.role === role && (!fn || s.fn === fn));
  if (!row) throw new Error(`no ${role}`);
  return { id: row.id, role: row.role, schoolId: data.school };
};
const admin = member("admin");
const teacher = member("teacher");
const accounts = member("office", "accounts");
const sessionOf = (m: typeof admin) => issueRefreshToken(deps, m);
const cookieOf = async (m: typeof admin) => `parentline_desk=${(await sessionOf(m)).refreshToken}`;
const cookies = {
  admin: await cookieOf(admin),
  teacher: await cookieOf(teacher),
  accounts: await cookieOf(accounts),
};

const whose = new Map(Object.entries(cookies).map(([who, cookie]) => [cookie, who]));

async function timed(url: string, cookie: string): Promise<number> {
  const started = performance.now();
  const response = await parentline.app.request(url, { headers: { cookie } });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return elapsed;
}

async function measure(label: string, requests: [string, string][], rounds = 10) {
  for (const [url, cookie] of requests) await timed(url, cookie);
  const samples: number[] = [];
  const byUrl = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++)
    for (const [url, cookie] of requests) {
      const elapsed = await timed(url, cookie);
      samples.push(elapsed);
      const key = `${url} (${whose.get(cookie) ?? "?"})`;
      byUrl.set(key, [...(byUrl.get(key) ?? []), elapsed]);
    }
  const s = stats(samples);
  console.log(
    `${label.padEnd(44)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  (${samples.length} requests)`,
  );
  if (byUrl.size <= 10)
    for (const [url, times] of byUrl)
      console.log(`  ${url.padEnd(62)} p95 ${ms(stats(times).p95)}`);
  return s;
}

// --- Pages --------------------------------------------------------------------------------------

const queue = await measure("GET /staff/tickets (views and filters)", [
  ["/staff/tickets?view=all", cookies.admin],
  ["/staff/tickets?view=all&status=open", cookies.admin],
  ["/staff/tickets?view=unassigned", cookies.admin],
  ["/staff/tickets?view=all&sla=breached&status=open", cookies.admin],
  ["/staff/tickets?view=mine", cookies.teacher],
  ["/staff/tickets?view=all", cookies.teacher],
  ["/staff/tickets?view=all&status=open", cookies.accounts],
  ["/staff/tickets?view=all&q=allergy", cookies.admin],
]);
let pick = 1;
const ticketRequests: [string, string][] = Array.from({ length: 20 }, () => {
  pick = (pick * 7_919) % TICKETS;
  return [`/staff/tickets/T-${100_000 + pick}`, cookies.admin];
});
const ticket = await measure("GET /staff/tickets/{reference}", ticketRequests);

// --- Push ---------------------------------------------------------------------------------------

/** A demo parent, verified in the simulator, with one open ticket to add messages to. */
async function say(text: string) {
  const response = await parentline.app.request("/dev/chat/send", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ address: PARENT, text }),
  });
  return ((await response.json()) as { replies: { text: string }[] }).replies.map((r) => r.text);
}
// Two messages per event: lift the flood guardrail (20 in 5 minutes) so the parent is not paused.
parentline.db.$client
  .prepare(
    "update schools set settings = json_set(settings, '$.guardrails.maxMessagesPerFiveMinutes', 1000) where id = ?",
  )
  .run(data.school);
await say(codeIn(await say("hi")));
await say("1");
await say("Academics");
await say("First question");
await say("Send");

interface Stream {
  kind: "desk" | "api";
  reader: ReadableStreamDefaultReader<Uint8Array>;
}
const latencies = { desk: [] as number[], api: [] as number[] };
let sentAt = 0;
let waiting = 0;
let allArrived: () => void = () => {};
const decoder = new TextDecoder();
const apiToken = await issueAccessToken(deps, admin, (await sessionOf(admin)).sessionId);

async function open(kind: Stream["kind"]): Promise<Stream> {
  const response =
    kind === "desk"
      ? await parentline.app.request("/staff/events", {
          headers: { cookie: cookies.admin, accept: "text/event-stream" },
        })
      : await parentline.app.request("/v1/events", {
          headers: { authorization: `Bearer ${apiToken}` },
        });
  if (response.status !== 200) throw new Error(`${kind} stream: ${response.status}`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (decoder.decode(value).includes("event: message.added")) {
        latencies[kind].push(performance.now() - sentAt);
        if (--waiting === 0) allArrived();
      }
    }
  })();
  return { kind, reader };
}

// Admins' streams: every one of them sees the parent's message, interleaved desk and API.
const streams: Stream[] = [];
for (let i = 0; i < STREAMS; i++) {
  streams.push(await open("desk"));
  streams.push(await open("api"));
}
for (let e = 0; e < EVENTS; e++) {
  await say(`A follow-up, number ${e}`);
  const arrived = new Promise<void>((resolve) => {
    allArrived = resolve;
  });
  waiting = streams.length;
  sentAt = performance.now();
  // The choice of the open ticket adds the message to it: the road's commit records the event.
  await parentline.roadHandle.receive({
    channel: "simulator",
    address: PARENT,
    providerMessageId: `bench-${e}`,
    text: "1",
    receivedAt: Date.now(),
  });
  await arrived;
}
for (const stream of streams) await stream.reader.cancel();
const desk = stats(latencies.desk);
const api = stats(latencies.api);
console.log(
  `${"push to 1,000 desk streams (per delivery)".padEnd(44)} p50 ${ms(desk.p50)}  p95 ${ms(desk.p95)}  p99 ${ms(desk.p99)}`,
);
console.log(
  `${"push to 1,000 /v1/events streams".padEnd(44)} p50 ${ms(api.p50)}  p95 ${ms(api.p95)}  p99 ${ms(api.p99)}`,
);

const verdict = (label: string, measured: number, goal: number, what: string, unit = " ms") =>
  console.log(
    `${label}: ${what} ${measured.toFixed(2)}${unit} — ratio ${(measured / goal).toFixed(2)} (goal ≤ ${goal}${unit}) — ${measured <= goal ? "met" : "not met"}`,
  );
verdict("queue", queue.p95, GOALS.pageP95, "GET /staff/tickets p95");
verdict("ticket", ticket.p95, GOALS.pageP95, "GET /staff/tickets/{reference} p95");
verdict("push", desk.p99, GOALS.pushP99, "desk push p99 at 1,000 streams");
verdict("push vs api", desk.p99 / api.p99, GOALS.pushRatio, "desk p99 / API p99", "×");

await parentline.stop();
rmSync(workDir, { recursive: true, force: true });
