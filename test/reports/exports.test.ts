import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { snapshotDatabase } from "../support/database-snapshot";
import { createTestParentline, STAFF, signInStaff } from "../support/parentline";
import { insertTicket } from "./report-fixtures";

const BOM = "\uFEFF";

async function csvRows(response: Response): Promise<Record<string, string>[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  return parse(text.replace(BOM, ""), { columns: true }) as Record<string, string>[];
}

describe("GET /v1/exports/tickets.csv", () => {
  it("escapes cells a spreadsheet would run as formulas, quoting the rest as CSV needs", async () => {
    const app = await createTestParentline();
    const id = insertTicket(app, {
      className: "3A",
      created: "2026-11-16 08:00",
      firstResponse: "2026-11-16 10:30",
      rating: 2,
    });
    const client = app.db.$client;
    const guardian = client
      .prepare("select guardian_id as id from tickets where id = ?")
      .get(id) as {
      id: number;
    };
    client
      .prepare("update guardians set first_name = ?, last_name = ? where id = ?")
      .run('=HYPERLINK("https://evil.example","click")', "@Smith, Jr", guardian.id);
    client.prepare("update tickets set rating_comment = ? where id = ?").run("+1 -1\r\nok", id);
    app.clock.set(Date.parse("2026-11-23T09:00:00Z"));
    const admin = await signInStaff(app, STAFF.admin);

    const response = await app.json(
      "GET",
      "/v1/exports/tickets.csv?from=2026-11-16&to=2026-11-22",
      undefined,
      admin,
    );
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="tickets-2026-11-16-to-2026-11-22.csv"',
    );
    const [row, ...rest] = await csvRows(response);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({
      parent: `'=HYPERLINK("https://evil.example","click") @Smith, Jr`,
      rating_comment: "'+1 -1\r\nok",
      class: "3A",
      created_at: "2026-11-16T16:00:00.000Z",
      first_response_working_hours: "2.5",
      sla_breached: "false",
      rating: "2",
    });
  });

  it("streams: rows written after the first bytes reached the client are in the file", async () => {
    const app = await createTestParentline();
    // 1,600 tickets are four pages of 500: at most the first two are read ahead of the reader.
    const insertMany = app.db.$client.transaction(() => {
      for (let n = 0; n < 1600; n++)
        insertTicket(app, { className: "5A", created: "2026-11-16 08:00" });
    });
    insertMany();
    app.clock.set(Date.parse("2026-11-23T09:00:00Z"));
    const admin = await signInStaff(app, STAFF.admin);
    const response = await app.json(
      "GET",
      "/v1/exports/tickets.csv?from=2026-11-16&to=2026-11-22",
      undefined,
      admin,
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    // Past every pending microtask: a server that built the whole file would have read it all.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const late = insertTicket(app, { className: "5A", created: "2026-11-20 09:00" });
    const { number } = app.db.$client
      .prepare("select number from tickets where id = ?")
      .get(late) as { number: number };
    const decoder = new TextDecoder();
    let text = decoder.decode(first.value, { stream: true });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += decoder.decode(chunk.value, { stream: true });
    const rows = parse(text.replace(BOM, ""), { columns: true }) as { reference: string }[];
    expect(rows).toHaveLength(1601);
    expect(rows.at(-1)?.reference).toBe(`T-${number}`);
  });

  it("gives a teacher only their classes' tickets, and refuses a bad period with a 422", async () => {
    const app = await createTestParentline();
    insertTicket(app, { className: "3A", created: "2026-11-16 08:00" });
    insertTicket(app, { className: "5A", created: "2026-11-16 09:00" });
    app.clock.set(Date.parse("2026-11-23T09:00:00Z"));
    const rao = await signInStaff(app, STAFF.rao);
    const path = "/v1/exports/tickets.csv?from=2026-11-16&to=2026-11-22";
    const rows = await csvRows(await app.json("GET", path, undefined, rao));
    expect(rows.map((row) => row.class)).toEqual(["5A"]);

    const before = snapshotDatabase(app.db);
    const refused = await app.json("GET", `${path}&from=16/11/2026`, undefined, rao);
    expect(refused.status).toBe(422);
    expect(
      ((await refused.json()) as { error: { details: { path: string }[] } }).error.details,
    ).toMatchObject([{ path: "from" }]);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });
});

describe("GET /v1/exports/announcements/{id}/recipients.csv", () => {
  it("lists each family and its message's state, names escaped; another school's is 404", async () => {
    const app = await createTestParentline();
    app.db.$client
      .prepare(
        `update guardians set first_name = '-1+1' where id = (select gs.guardian_id
           from guardian_students gs join students s on s.id = gs.student_id
           join classes c on c.id = s.class_id where c.name = '3A' and c.school_id = s.school_id
           and s.school_id = (select id from schools where slug = 'greenfield')
           order by gs.guardian_id limit 1)`,
      )
      .run();
    const admin = await signInStaff(app, STAFF.admin);
    const created = await app.json(
      "POST",
      "/v1/announcements",
      { audience: { kind: "classes", classes: ["3A"] }, text: "Picnic on Friday" },
      admin,
    );
    expect(created.status).toBe(201);
    const { id, counts } = (await created.json()) as { id: number; counts: { recipients: number } };

    const rows = await csvRows(
      await app.json("GET", `/v1/exports/announcements/${id}/recipients.csv`, undefined, admin),
    );
    expect(rows).toHaveLength(counts.recipients);
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "guardian_id",
      "name",
      "channel",
      "status",
      "skipped_reason",
      "error",
    ]);
    expect(rows.filter((row) => (row.name ?? "").startsWith("'-1+1 "))).toHaveLength(1);
    expect(rows.every((row) => /^[=+\-@]/.test(row.name ?? "") === false)).toBe(true);

    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    const other = await app.json(
      "GET",
      `/v1/exports/announcements/${id}/recipients.csv`,
      undefined,
      riverside,
    );
    expect(other.status).toBe(404);
  });
});
