// The desk's school events upload in-process: admins only (others refused, nothing changes), a
// check sends nothing, a refused row sends nothing and names its row and column, and the same file
// sent twice (picked or pasted) sends nothing twice; all through the /v1 route's service.
import { describe, expect, it } from "vitest";
import { snapshotDatabase } from "../support/database-snapshot";
import {
  createTestParentline,
  DEMO,
  STAFF,
  type TestParentline,
  verifyParent,
} from "../support/parentline";
import { deskSession, ORIGIN } from "./desk-session";

const GOOD = [
  "type,admission_no,date,period,status,amount,currency,due_date",
  "attendance.marked,GF-2024-003,2026-11-23,AM,absent,,,",
  "fee.reminder,GF-2024-003,,,,45.00,USD,2026-12-15",
].join("\n");

const noticeCount = (app: TestParentline) =>
  (
    app.db.$client
      .prepare("select count(*) as n from outbox where kind = 'school_event'")
      .get() as { n: number }
  ).n;

describe("the desk's school events upload", () => {
  it("is the admin's alone: office staff and teachers are refused and nothing changes", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    for (const phone of [STAFF.frontOffice, STAFF.rao]) {
      const desk = await deskSession(app, phone);
      const before = snapshotDatabase(app.db);
      expect((await desk.get("/staff/admin/events")).status).toBe(403);
      expect((await desk.get("/staff/admin/events/example.csv")).status).toBe(403);
      const sent = await desk.post("/staff/admin/events", { pasted: GOOD, mode: "apply" });
      expect(sent.status).toBe(403);
      expect(snapshotDatabase(app.db)).toEqual(before);
    }
    expect(noticeCount(app)).toBe(0);
  });

  it("checks without sending, then sends each event once however often the file is sent", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const desk = await deskSession(app, STAFF.admin);
    const before = snapshotDatabase(app.db);
    const checked = await desk.post("/staff/admin/events", { pasted: GOOD, mode: "check" });
    expect(checked.status).toBe(200);
    const report = await checked.text();
    expect(report).toContain("All 2 rows can be sent as 2 events (nothing sent yet)");
    expect(report).toContain("The guardians of 1 child");
    expect(report).toContain("Send 2 events");
    expect(snapshotDatabase(app.db)).toEqual(before);

    const sent = await desk.post("/staff/admin/events", { pasted: GOOD, mode: "apply" });
    expect(sent.status).toBe(200);
    const page = await sent.text();
    expect(page).toContain("Sent 2 events from 2 rows");
    expect(page).toContain("Guardians of 1 child: 1 message queued");
    expect(page).toMatch(/\d+ messages? queued for the families\./);
    expect(page).not.toContain("No family could be reached");
    expect(page).toContain("Sending this file again sends nothing twice.");
    expect(noticeCount(app)).toBe(2);

    // The same file again, now picked as a file with a spreadsheet's CRLF: nothing new is sent.
    const body = new FormData();
    body.set("_csrf", desk.csrf);
    body.set("mode", "apply");
    body.set("csv", new File([GOOD.replaceAll("\n", "\r\n")], "events.csv", { type: "text/csv" }));
    const again = await app.app.request(`${ORIGIN}/staff/admin/events`, {
      method: "POST",
      headers: { cookie: desk.cookie, origin: ORIGIN },
      body,
    });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("Sent 2 events from 2 rows");
    expect(noticeCount(app)).toBe(2);
  });

  it("sends nothing when a row is refused, naming the row and the column", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const desk = await deskSession(app, STAFF.admin);
    const before = snapshotDatabase(app.db);
    const bad = `${GOOD}\nfee.reminder,GF-2024-003,,,,lots,USD,2026-12-15\nattendance.marked,NOPE-1,2026-11-23,AM,absent,,,`;
    const refused = await desk.post("/staff/admin/events", { pasted: bad, mode: "apply" });
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(page).toContain("2 of 4 rows refused: nothing was sent");
    expect(page).toMatch(
      /<td data-label="Row">4<\/td><td data-label="Column"><strong class="error">amount<\/strong>/,
    );
    expect(page).toMatch(
      /<td data-label="Row">5<\/td><td data-label="Column"><strong class="error">admission_no<\/strong>/,
    );
    expect(page).not.toContain("Send 2 events");
    expect(snapshotDatabase(app.db)).toEqual(before);

    for (const [form, message] of [
      [{ pasted: "  ", mode: "apply" }, "Choose a CSV file, or paste its rows."],
      [{ pasted: "type,date\nfee.reminder,", mode: "apply" }, "missing: admission_no"],
    ] as const) {
      const answer = await desk.post("/staff/admin/events", form);
      expect(answer.status).toBe(422);
      expect(await answer.text()).toContain(message);
    }
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("offers an example CSV with every column", async () => {
    const app = await createTestParentline();
    const desk = await deskSession(app, STAFF.admin);
    const example = await desk.get("/staff/admin/events/example.csv");
    expect(example.status).toBe(200);
    expect(example.headers.get("content-type")).toContain("text/csv");
    expect((await example.text()).split("\r\n")[0]).toBe(
      "type,admission_no,date,period,status,amount,currency,due_date,title,url",
    );
    const links = await (await desk.get("/staff/admin")).text();
    expect(links).toContain('href="/staff/admin/events"');
    const keys = await (await desk.get("/staff/admin/api-keys")).text();
    expect(keys).toContain("No integration? Upload a CSV");
  });
});
