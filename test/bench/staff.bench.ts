// `npm run bench:staff`: the staff API at a large school's scale. Generates 2,000 guardians,
// 50,000 tickets and 1,000,000 messages into a temp-file SQLite database (one transaction,
// prepared statements), then measures through app.request: GET /v1/tickets with typical filters,
// with q (FTS5), GET /v1/tickets/{id}, and the fan-out latency of one event to 5,000 open
// GET /v1/events streams. Goals: list and search p95 ≤ 20 ms; SSE p99 ≤ 100 ms at 5,000 streams.
// Plain script (run with tsx), not a vitest test; test/bench is excluded from `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteDatabase } from "../../db";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { buildParentline } from "../../src/parentline";
import { createSecrets } from "../../src/security";
import { issueRefreshToken } from "../../src/services/refresh-tokens";
import { issueAccessToken } from "../../src/services/staff-auth";
import { GUARDIANS, generateStaffData, MESSAGES, random, TICKETS } from "./staff-data";
import { percentile } from "./stats";

const STREAMS = 5_000;
const GOALS = { listP95: 20, searchP95: 20, sseP99: 100 };

const rand = random(42);

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}
const ms = (value: number) => `${value.toFixed(2)} ms`;

const workDir = mkdtempSync(join(tmpdir(), "parentline-staff-bench-"));
const path = join(workDir, "staff.db");
const now = Date.parse("2026-11-23T17:00:00Z");
const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATABASE_PATH: path });
const parentline = await buildParentline(config, {
  db: openSqliteDatabase(path),
  logger: createLogger("silent"),
  now: () => now,
});
const client = parentline.db.$client;

const data = generateStaffData(parentline.db, now);
console.log(
  `generated ${GUARDIANS} guardians, ${TICKETS} tickets, ${MESSAGES} messages in ${data.seconds.toFixed(1)} s`,
);

// --- Requests -----------------------------------------------------------------------------------

const secrets = createSecrets(config.appSecret);
const deps = {
  db: parentline.db,
  secrets,
  config,
  log: parentline.log,
  now: () => now,
  phoneChannels: () => [],
};
/** An access token of a new session (a signed-in member), as sign-in makes it. */
const tokenOf = async (member: { id: number; role: string }) => {
  const { sessionId } = await issueRefreshToken(deps, { id: member.id, schoolId: data.school });
  return issueAccessToken(deps, member, sessionId);
};
const admin = data.staffRows.find((s) => s.role === "admin") as { id: number; role: string };
const teacher = data.staffRows.find((s) => s.role === "teacher") as { id: number; role: string };
const accounts = data.staffRows.find((s) => s.fn === "accounts") as { id: number; role: string };
const tokens = {
  admin: await tokenOf(admin),
  teacher: await tokenOf(teacher),
  accounts: await tokenOf(accounts),
};

async function timed(path: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await parentline.app.request(path, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return elapsed;
}

async function measure(label: string, requests: [string, string][], rounds = 15) {
  for (const [path, token] of requests) await timed(path, token); // warm the statement cache
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++)
    for (const [path, token] of requests) samples.push(await timed(path, token));
  const s = stats(samples);
  console.log(
    `${label.padEnd(44)} p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  (${samples.length} requests)`,
  );
  return { samples, ...s };
}

const secondPage = async () => {
  const first = (await (
    await parentline.app.request("/v1/tickets?limit=25", {
      headers: { authorization: `Bearer ${tokens.admin}` },
    })
  ).json()) as { nextCursor: string };
  return `/v1/tickets?limit=25&cursor=${first.nextCursor}`;
};
const listRequests: [string, string][] = [
  ["/v1/tickets", tokens.admin],
  ["/v1/tickets?status=open", tokens.admin],
  ["/v1/tickets?status=open&category=fees", tokens.admin],
  ["/v1/tickets?assignee=me&status=in_progress", tokens.teacher],
  ["/v1/tickets", tokens.teacher],
  ["/v1/tickets?status=open", tokens.accounts],
  ["/v1/tickets?sort=priority&status=open", tokens.admin],
  ["/v1/tickets?sort=-updated", tokens.admin],
  ["/v1/tickets?slaBreached=true&status=open", tokens.admin],
  ["/v1/tickets?createdFrom=2026-11-01T00:00:00Z", tokens.admin],
  [await secondPage(), tokens.admin],
];
const searchRequests: [string, string][] = [
  ["/v1/tickets?q=allergy", tokens.admin],
  ["/v1/tickets?q=swimming%20medicine", tokens.admin],
  ["/v1/tickets?q=pass", tokens.admin],
  ["/v1/tickets?q=invoice&status=open", tokens.admin],
  ["/v1/tickets?q=bus%20late", tokens.teacher],
];
const detailRequests: [string, string][] = Array.from({ length: 20 }, () => [
  `/v1/tickets/${1 + Math.floor(rand() * TICKETS)}`,
  tokens.admin,
]);

const list = await measure("GET /v1/tickets (typical filters)", listRequests);
const search = await measure("GET /v1/tickets?q= (FTS5)", searchRequests, 20);
await measure("GET /v1/tickets/{id} (20 messages)", detailRequests);

// --- SSE fan-out --------------------------------------------------------------------------------

async function fanOut() {
  const viewers = [admin, teacher, accounts, ...data.staffRows.filter((s) => s.role !== "admin")];
  const viewerTokens = await Promise.all(viewers.map(tokenOf));
  const received: number[] = [];
  let expected = 0;
  let sentAt = 0;
  let arrived: () => void = () => {};
  const readers: ReadableStreamDefaultReader<Uint8Array>[] = [];
  for (let i = 0; i < STREAMS; i++) {
    // Every fifth listener is the admin (sees everything); the rest are spread over the other staff.
    const token = i % 5 === 0 ? tokens.admin : (viewerTokens[i % viewerTokens.length] as string);
    const response = await parentline.app.request("/v1/events", {
      headers: { authorization: `Bearer ${token}` },
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    readers.push(reader);
    void (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        if (new TextDecoder().decode(value).includes("event: ")) {
          received.push(performance.now() - sentAt);
          if (received.length === expected) arrived();
        }
      }
    })();
  }
  const noteAs = tokens.admin;
  const events = 10;
  const allLatencies: number[] = [];
  for (let e = 0; e < events; e++) {
    received.length = 0;
    // Who may see a note on this ticket: the admin listeners for sure; wait for all deliveries.
    const ticketId = 1 + Math.floor(rand() * TICKETS);
    const before = parentline.staffEvents.size;
    if (before !== STREAMS) throw new Error(`only ${before} streams open`);
    const done = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    expected = await countViewers(ticketId, viewers, viewerTokens);
    sentAt = performance.now();
    const response = await parentline.app.request(`/v1/tickets/${ticketId}/notes`, {
      method: "POST",
      headers: { authorization: `Bearer ${noteAs}`, "content-type": "application/json" },
      body: JSON.stringify({ body: "Fan-out check" }),
    });
    if (response.status !== 201) throw new Error(`note: ${response.status}`);
    await done;
    allLatencies.push(...received);
  }
  for (const reader of readers) await reader.cancel();
  return stats(allLatencies);
}

/** How many of the open streams may see an event on this ticket (the hub's own rule). */
async function countViewers(ticketId: number, viewers: { id: number }[], viewerTokens: string[]) {
  const { loadEventScope, maySee } = await import("../../src/services/staff-events");
  const { loadStaffViewer } = await import("../../src/services/staff-viewer");
  const row = client
    .prepare(
      "select t.school_id as schoolId, t.assignee_staff_id as assigneeStaffId, t.category, s.class_id as classId from tickets t left join students s on s.id = t.student_id where t.id = ?",
    )
    .get(ticketId) as Parameters<typeof maySee>[1];
  let count = 0;
  const scopes = new Map<string, boolean>();
  for (let i = 0; i < STREAMS; i++) {
    const token = i % 5 === 0 ? tokens.admin : (viewerTokens[i % viewerTokens.length] as string);
    if (!scopes.has(token)) {
      const member = i % 5 === 0 ? admin : (viewers[i % viewers.length] as { id: number });
      const viewer = await loadStaffViewer(parentline.db, member.id, data.school);
      scopes.set(token, viewer ? maySee(await loadEventScope(parentline.db, viewer), row) : false);
    }
    if (scopes.get(token)) count++;
  }
  return count;
}

const sse = await fanOut();
console.log(
  `${"SSE fan-out to 5,000 streams (per delivery)".padEnd(44)} p50 ${ms(sse.p50)}  p95 ${ms(sse.p95)}  p99 ${ms(sse.p99)}`,
);

const verdict = (label: string, measured: number, goal: number, what: string) =>
  console.log(
    `${label}: ${what} ${ms(measured)} — ratio ${(measured / goal).toFixed(2)} (goal ≤ ${goal} ms) — ${measured <= goal ? "met" : "not met"}`,
  );
verdict("list", list.p95, GOALS.listP95, "GET /v1/tickets p95");
verdict("search", search.p95, GOALS.searchP95, "GET /v1/tickets?q= p95");
verdict("sse", sse.p99, GOALS.sseP99, "SSE fan-out p99 at 5,000 streams");

await parentline.stop();
rmSync(workDir, { recursive: true, force: true });
