// School events as CSV (POST /v1/integrations/events.csv) for schools without an integration:
// the roster import's report row by row, a dry run that sends nothing, all or nothing, and the
// same file sent twice sending nothing twice.
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { snapshotDatabase } from "../support/database-snapshot";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

async function upload(app: TestParentline, token: string, csv: string, query = "") {
  const response = await app.app.request(`/v1/integrations/events.csv${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "text/csv" },
    body: csv,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const noticeCount = (app: TestParentline) =>
  (
    app.db.$client
      .prepare("select count(*) as n from outbox where kind = 'school_event'")
      .get() as {
      n: number;
    }
  ).n;

// A spreadsheet's export: semicolons, CRLF, headers in its own spelling.
const GOOD = [
  "Type;Admission No;Date;Period;Status;Amount;Currency;Due Date",
  "attendance.marked;GF-2024-003;2026-11-23;AM;absent;;;",
  "attendance.marked;GF-2024-001;2026-11-23;AM;late;;;",
  "fee.reminder;GF-2024-003;;;;45.00;usd;2026-12-15",
].join("\r\n");

describe("school events by CSV", () => {
  it("reports a dry run without sending, then sends each gathered event once however often the file is sent", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const admin = await signInStaff(app, STAFF.admin);
    const before = snapshotDatabase(app.db);
    const dry = await upload(app, admin, GOOD, "?dryRun=true");
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      dryRun: true,
      applied: false,
      rows: 3,
      events: [
        { type: "attendance.marked", rows: [2, 3], children: 2 },
        { type: "fee.reminder", rows: [4], children: 1 },
      ],
      rejected: [],
    });
    expect(snapshotDatabase(app.db)).toEqual(before);

    const sent = await upload(app, admin, GOOD);
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({
      applied: true,
      events: [
        {
          type: "attendance.marked",
          result: {
            accepted: 1,
            messages: 1,
            // Ava's parent never linked a chat (and SMS is off here).
            rejected: [{ admissionNumber: "GF-2024-001", reason: "no_reachable_guardian" }],
          },
        },
        { type: "fee.reminder", result: { accepted: 1, messages: 1 } },
      ],
    });
    expect(noticeCount(app)).toBe(2);
    const audit = await app.db.select().from(schema.auditLog);
    expect(audit.map(({ action, after }) => ({ action, after }))).toEqual([
      {
        action: "school_event.upload",
        after: { type: "attendance.marked", children: 2, messages: 1 },
      },
      { action: "school_event.upload", after: { type: "fee.reminder", children: 1, messages: 1 } },
    ]);
    const again = await upload(app, admin, GOOD);
    expect(again.status).toBe(200);
    expect(noticeCount(app)).toBe(2);
    // The same file saved with other line endings (a script's, where the desk's form sent CRLF).
    const unixEndings = await upload(app, admin, GOOD.replaceAll("\r\n", "\n"));
    expect(unixEndings.status).toBe(200);
    expect(noticeCount(app)).toBe(2);
  });

  it("refuses the whole file when a row is wrong, naming the row and column, and sends nothing", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const admin = await signInStaff(app, STAFF.admin);
    const before = snapshotDatabase(app.db);
    const csv = [
      "type,admission_no,date,period,status,amount,currency,due_date",
      "attendance.marked,GF-2024-003,2026-11-23,AM,absent,,,",
      "attendance.marked,GF-9999-999,2026-11-23,AM,absent,,,",
      "attendance.marked,GF-2024-003,2026-13-01,AM,away,,,",
      "fee.reminder,GF-2024-003,,,,forty,USD,2026-12-15",
      "holiday,GF-2024-003,,,,,,",
    ].join("\n");
    const result = await upload(app, admin, csv);
    expect(result.status).toBe(422);
    expect(result.body).toMatchObject({ applied: false, rows: 5 });
    expect(result.body.rejected).toEqual([
      {
        row: 3,
        errors: [
          {
            column: "admission_no",
            message: "no student of the school has the admission number GF-9999-999",
          },
        ],
      },
      {
        row: 4,
        errors: [
          { column: "status", message: "must be absent or late" },
          { column: "date", message: "is not a calendar date" },
        ],
      },
      { row: 5, errors: [{ column: "amount", message: "must be a decimal amount such as 45.00" }] },
      {
        row: 6,
        errors: [
          {
            column: "type",
            message: "must be attendance.marked, fee.reminder or scores.published",
          },
        ],
      },
    ]);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("refuses a file that is not readable CSV or lacks its columns with 422, and a teacher with 403", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const teacher = await signInStaff(app, STAFF.rao);
    const before = snapshotDatabase(app.db);
    const unclosed = await upload(
      app,
      admin,
      'type,admission_no,date,period,status\nattendance.marked,"GF-2024-003,2026-11-23,AM,absent\n',
    );
    expect(unclosed.status).toBe(422);
    expect(unclosed.body).toMatchObject({ error: { details: { line: 2 } } });
    const columns = await upload(app, admin, "kind,student\nx,y\n");
    expect(columns.status).toBe(422);
    expect(columns.body).toMatchObject({
      error: { details: { missingColumns: ["type", "admission_no"] } },
    });
    expect((await upload(app, teacher, GOOD)).status).toBe(403);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });
});
