// `npm run bench:reports`: the reports and exports at a large school's scale, on bench:staff's data
// (2,000 guardians, 50,000 tickets over a year, 1,000,000 messages) plus 48,000 more families and a
// whole-school announcement to all 50,000. Each report's p95 through app.request next to a bare
// count(*) over the same rows in the same run (goal p95 ≤ 100 ms); each export read to its end
// through app.request, with the peak growth of the live heap while it streams (collected at every
// chunk; goal ≤ 5 MB, whatever the file's size: the file is never held whole).
// Plain script (run with tsx), not a vitest test; test/bench is excluded from `npm test`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteDatabase } from "../../db/node";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { buildParentline } from "../../src/parentline";
import { createSecrets } from "../../src/security";
import { issueRefreshToken } from "../../src/services/refresh-tokens";
import { issueAccessToken } from "../../src/services/staff-auth";
import { addFamilies } from "../support/families";
import { GUARDIANS, generateStaffData, MESSAGES, TICKETS } from "./staff-data";
import { percentile } from "./stats";

const GOAL_P95_MS = 100;
/** The most an export may grow the live heap while it streams, whatever the file's size. */
const GOAL_HEAP_MB = 5;
const FAMILIES = 50_000;
const ROUNDS = 20;

const ms = (value: number) => `${value.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

const workDir = mkdtempSync(join(tmpdir(), "parentline-reports-bench-"));
const path = join(workDir, "reports.db");
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

// A whole-school announcement to 50,000 families, its messages in every state a report counts.
addFamilies(parentline.db, {
  schoolId: data.school,
  count: FAMILIES - GUARDIANS,
  channel: "simulator",
  now,
});
const admin = data.staffRows.find((s) => s.role === "admin") as { id: number; role: string };
const teacher = data.staffRows.find((s) => s.role === "teacher") as { id: number; role: string };
const announcementAt = now - 3 * 86_400_000;
const announcementId = Number(
  client
    .prepare(
      `insert into announcements (school_id, author_staff_id, audience, body, status, created_at)
       values (?, ?, '{"kind":"school"}', 'Sports day is on Friday.', 'sent', ?)`,
    )
    .run(data.school, admin.id, announcementAt).lastInsertRowid,
);
const states = ["read", "delivered", "sent", "failed", "pending"] as const;
const channels = ["whatsapp", "telegram", "sms"] as const;
client.transaction(() => {
  const guardians = client
    .prepare("select id, phone from guardians where school_id = ? order by id")
    .all(data.school) as { id: number; phone: string }[];
  const outbox = client.prepare(
    `insert into outbox (school_id, channel, address, kind, body, status, next_attempt_at,
       updated_at, announcement_id) values (?, ?, ?, 'announcement', 'Sports day', ?, ?, ?, ?)`,
  );
  const recipient = client.prepare(
    `insert into announcement_recipients (announcement_id, guardian_id, school_id, outbox_id,
       skipped_reason, channel) values (?, ?, ?, ?, ?, ?)`,
  );
  guardians.forEach((guardian, n) => {
    if (n % 25 === 0) {
      recipient.run(announcementId, guardian.id, data.school, null, "no_channel", null);
      return;
    }
    const channel = channels[n % channels.length] as string;
    const status = states[n % states.length] as string;
    const outboxId = outbox.run(
      data.school,
      channel,
      guardian.phone,
      status,
      announcementAt,
      announcementAt,
      announcementId,
    ).lastInsertRowid;
    recipient.run(announcementId, guardian.id, data.school, outboxId, null, channel);
  });
})();
client.exec("analyze");

const secrets = createSecrets(config.appSecret);
const deps = {
  db: parentline.db,
  secrets,
  config,
  log: parentline.log,
  now: () => now,
  phoneChannels: () => [],
};
const tokenOf = async (member: { id: number; role: string }) => {
  const { sessionId } = await issueRefreshToken(deps, { id: member.id, schoolId: data.school });
  return issueAccessToken(deps, member, sessionId);
};
const tokens = { admin: await tokenOf(admin), teacher: await tokenOf(teacher) };

async function timed(url: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await parentline.app.request(url, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.arrayBuffer();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  return elapsed;
}

function timedSql(statement: string, params: unknown[]): number {
  const started = performance.now();
  client.prepare(statement).get(...params);
  return performance.now() - started;
}

const p95 = (samples: number[]) =>
  percentile(
    [...samples].sort((a, b) => a - b),
    95,
  );

// --- Reports ------------------------------------------------------------------------------------

// The school's dates in America/Los_Angeles: 2026-11-23 09:00 local is `now`.
const periods = {
  "28 days": { from: "2026-10-27", to: "2026-11-23", fromMs: Date.parse("2026-10-27T07:00:00Z") },
  year: { from: "2025-11-23", to: "2026-11-23", fromMs: Date.parse("2025-11-23T08:00:00Z") },
};
const toMs = Date.parse("2026-11-24T08:00:00Z");
const TEACHER_ROWS = `(assignee_staff_id = ? or student_id in (select s.id from students s
  join class_teachers ct on ct.class_id = s.class_id where ct.staff_id = ?))`;

interface Line {
  label: string;
  p95: number;
  bareP95: number;
  rows: number;
}
const lines: Line[] = [];

async function measureReport(
  label: string,
  url: string,
  token: string,
  bare: { sql: string; params: unknown[] },
) {
  await timed(url, token);
  timedSql(bare.sql, bare.params);
  const samples: number[] = [];
  const bareSamples: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    samples.push(await timed(url, token));
    bareSamples.push(timedSql(bare.sql, bare.params));
  }
  const rows = (client.prepare(bare.sql).get(...bare.params) as { n: number }).n;
  const line = { label, p95: p95(samples), bareP95: p95(bareSamples), rows };
  lines.push(line);
  console.log(
    `${label.padEnd(58)} p95 ${ms(line.p95).padStart(10)}   bare count(*) p95 ${ms(line.bareP95).padStart(9)}   (${rows} rows)`,
  );
}

// The generated tickets have no stored waits yet, like every ticket after the upgrade that adds
// them: the first report counts them all (report-durations.ts), later ones only new answers.
const firstReport = await timed(
  `/v1/reports/tickets?from=${periods.year.from}&to=${periods.year.to}&groupBy=category`,
  tokens.admin,
);
console.log(
  `${"first report, counting every ticket's stored waits".padEnd(58)} ${ms(firstReport)}`,
);

for (const [name, period] of Object.entries(periods)) {
  const schoolRows = {
    sql: "select count(*) as n from tickets where school_id = ? and created_at >= ? and created_at < ?",
    params: [data.school, period.fromMs, toMs],
  };
  for (const groupBy of ["category", "class", "assignee", "week"]) {
    await measureReport(
      `tickets by ${groupBy}, ${name}, admin`,
      `/v1/reports/tickets?from=${period.from}&to=${period.to}&groupBy=${groupBy}`,
      tokens.admin,
      schoolRows,
    );
  }
  await measureReport(
    `tickets by category, ${name}, teacher`,
    `/v1/reports/tickets?from=${period.from}&to=${period.to}&groupBy=category`,
    tokens.teacher,
    {
      sql: `select count(*) as n from tickets where school_id = ? and created_at >= ? and created_at < ? and ${TEACHER_ROWS}`,
      params: [data.school, period.fromMs, toMs, teacher.id, teacher.id],
    },
  );
}
await measureReport(
  "announcements by channel, 28 days (50,000 recipients)",
  `/v1/reports/announcements?from=${periods["28 days"].from}&to=${periods["28 days"].to}`,
  tokens.admin,
  {
    sql: `select count(*) as n from announcements a join announcement_recipients r on r.announcement_id = a.id
      left join outbox o on o.id = r.outbox_id
      where a.school_id = ? and a.created_at >= ? and a.created_at < ?`,
    params: [data.school, periods["28 days"].fromMs, toMs],
  },
);

// --- Exports ------------------------------------------------------------------------------------

const gc = (globalThis as { gc?: () => void }).gc;

/** Reads an export to its end, sampling the heap at every chunk; returns size, time, peak growth. */
async function measureExport(url: string) {
  gc?.();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const started = performance.now();
  const response = await parentline.app.request(url, {
    headers: { authorization: `Bearer ${tokens.admin}` },
  });
  if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let bytes = 0;
  let lineBreaks = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    bytes += chunk.value.byteLength;
    for (const byte of chunk.value) if (byte === 10) lineBreaks++;
    // What stays alive is what counts: garbage waiting for a collection is not held.
    gc?.();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return {
    bytes,
    rows: lineBreaks - 1,
    seconds: (performance.now() - started) / 1000,
    growth: peak - baseline,
  };
}

const exportsMeasured: { label: string; growth: number; bytes: number }[] = [];
for (const [label, url] of [
  [
    "tickets.csv, a year",
    `/v1/exports/tickets.csv?from=${periods.year.from}&to=${periods.year.to}`,
  ],
  ["recipients.csv, 50,000 families", `/v1/exports/announcements/${announcementId}/recipients.csv`],
] as const) {
  const run = await measureExport(url);
  exportsMeasured.push({ label, growth: run.growth, bytes: run.bytes });
  console.log(
    `${label.padEnd(58)} ${run.rows} rows, ${mb(run.bytes)} in ${run.seconds.toFixed(2)} s, peak heap growth ${mb(run.growth)}${gc ? "" : " (no --expose-gc: baseline not collected)"}`,
  );
}

// --- Goals --------------------------------------------------------------------------------------

console.log("");
for (const line of lines) {
  console.log(
    `${line.label}: p95 ${ms(line.p95)} vs bare count(*) ${ms(line.bareP95)} over ${line.rows} rows — ratio ${(line.p95 / GOAL_P95_MS).toFixed(2)} (goal p95 ≤ ${GOAL_P95_MS} ms) — ${line.p95 <= GOAL_P95_MS ? "met" : "not met"}`,
  );
}
for (const run of exportsMeasured) {
  const growthMb = run.growth / 1_048_576;
  console.log(
    `export ${run.label}: peak heap growth ${mb(run.growth)} streaming a ${mb(run.bytes)} file — ratio ${(growthMb / GOAL_HEAP_MB).toFixed(2)} (goal ≤ ${GOAL_HEAP_MB} MB) — ${growthMb <= GOAL_HEAP_MB ? "met" : "not met"}`,
  );
}

await parentline.stop();
rmSync(workDir, { recursive: true, force: true });
