import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const HOUR = 3_600_000;

interface Page {
  tickets: {
    id: number;
    priority: string;
    createdAt: string;
    updatedAt: string;
    slaBreached: boolean;
  }[];
  nextCursor: string | null;
}

async function page(app: TestParentline, token: string, query: string): Promise<Page> {
  const response = await app.json("GET", `/v1/tickets?${query}`, undefined, token);
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

/** Inserts Greenfield tickets straight into the table, with chosen times and priorities. */
async function insertTickets(
  app: TestParentline,
  rows: { created: number; updated: number; priority: "normal" | "urgent" }[],
) {
  const [guardian] = await app.db
    .select()
    .from(schema.guardians)
    .where(eq(schema.guardians.phone, DEMO.parentWithOneChild));
  if (!guardian) throw new Error("no demo guardian");
  const [{ next } = { next: 5000 }] = (await app.db.$client
    .prepare("select coalesce(max(number), 5000) + 1 as next from tickets")
    .all()) as { next: number }[];
  return app.db
    .insert(schema.tickets)
    .values(
      rows.map((row, index) => ({
        schoolId: guardian.schoolId,
        number: next + index,
        guardianId: guardian.id,
        category: "other" as const,
        priority: row.priority,
        routingReason: "test",
        channel: "simulator",
        address: DEMO.parentWithOneChild,
        createdAt: row.created,
        updatedAt: row.updated,
      })),
    )
    .returning({ id: schema.tickets.id });
}

/** Walks every page of `sort`, inserting two new tickets before each next page. */
async function walk(app: TestParentline, token: string, sort: string) {
  const seen: Page["tickets"] = [];
  let cursor: string | null = null;
  do {
    const current: Page = await page(
      app,
      token,
      `sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ""}`,
    );
    seen.push(...current.tickets);
    cursor = current.nextCursor;
    const now = app.clock.now();
    await insertTickets(app, [
      { created: now, updated: now, priority: "urgent" },
      { created: now, updated: now, priority: "normal" },
    ]);
    app.clock.advance(1000);
  } while (cursor);
  return seen;
}

describe("sorting the ticket list", () => {
  it.each(["-created", "created", "-updated", "updated", "priority"])(
    "pages through %s without repeats or gaps while tickets are being created",
    async (sort) => {
      const base = Date.parse("2026-11-20T09:00:00Z");
      const app = await createTestParentline();
      // Ties on purpose: equal created times, equal updated times, both priorities.
      const original = await insertTickets(app, [
        { created: base, updated: base + 5 * HOUR, priority: "normal" },
        { created: base, updated: base + HOUR, priority: "urgent" },
        { created: base + HOUR, updated: base + HOUR, priority: "normal" },
        { created: base + 2 * HOUR, updated: base + 9 * HOUR, priority: "urgent" },
        { created: base + 3 * HOUR, updated: base + 2 * HOUR, priority: "normal" },
        { created: base + 3 * HOUR, updated: base + 3 * HOUR, priority: "normal" },
        { created: base + 4 * HOUR, updated: base + 4 * HOUR, priority: "urgent" },
      ]);
      const token = await signInStaff(app, STAFF.admin);
      const seen = await walk(app, token, sort);
      const ids = seen.map((t) => t.id);
      expect([sort, new Set(ids).size]).toEqual([sort, ids.length]);
      const originalIds = original.map((row) => row.id);
      expect([sort, originalIds.filter((id) => !ids.includes(id))]).toEqual([sort, []]);

      // Each page continued where the last one stopped: the whole walk is in the sort's order.
      const key = (t: Page["tickets"][number]) => {
        const created = Date.parse(t.createdAt);
        const updated = Date.parse(t.updatedAt);
        switch (sort) {
          case "-created":
            return [-created, -t.id];
          case "created":
            return [created, t.id];
          case "-updated":
            return [-updated, -t.id];
          case "updated":
            return [updated, t.id];
          default:
            return [t.priority === "urgent" ? 0 : 1, created, t.id];
        }
      };
      const sorted = [...seen].sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        for (let i = 0; i < x.length; i++) {
          const d = (x[i] ?? 0) - (y[i] ?? 0);
          if (d !== 0) return d;
        }
        return 0;
      });
      expect([sort, ids]).toEqual([sort, sorted.map((t) => t.id)]);
    },
  );

  it("puts urgent tickets first, oldest first within a priority", async () => {
    const app = await createTestParentline();
    const base = Date.parse("2026-11-20T09:00:00Z");
    const [a, b, c, d] = await insertTickets(app, [
      { created: base, updated: base, priority: "normal" },
      { created: base + HOUR, updated: base + HOUR, priority: "urgent" },
      { created: base + 2 * HOUR, updated: base + 2 * HOUR, priority: "normal" },
      { created: base + 3 * HOUR, updated: base + 3 * HOUR, priority: "urgent" },
    ]);
    const token = await signInStaff(app, STAFF.admin);
    const ids = (await page(app, token, "sort=priority")).tickets.map((t) => t.id);
    expect(ids).toEqual([b?.id, d?.id, a?.id, c?.id]);
  });

  it("refuses an unknown sort and a cursor of another sort with 422", async () => {
    const app = await createTestParentline();
    const base = Date.parse("2026-11-20T09:00:00Z");
    await insertTickets(app, [
      { created: base, updated: base, priority: "normal" },
      { created: base + HOUR, updated: base, priority: "normal" },
    ]);
    const token = await signInStaff(app, STAFF.admin);
    expect((await app.json("GET", "/v1/tickets?sort=name", undefined, token)).status).toBe(422);
    const first = await page(app, token, "sort=created&limit=1");
    const wrong = await app.json(
      "GET",
      `/v1/tickets?sort=-updated&cursor=${first.nextCursor}`,
      undefined,
      token,
    );
    expect(wrong.status).toBe(422);
    expect(
      ((await wrong.json()) as { error: { details: { path: string }[] } }).error.details,
    ).toEqual([expect.objectContaining({ path: "cursor" })]);
  });
});

describe("the first-response SLA", () => {
  it("lists tickets answered late or still waiting past their due time as breached", async () => {
    // The clock starts Monday 2026-11-23 01:00 in Los Angeles (Greenfield's time zone).
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Other", text: "Late answer" });
    app.clock.advance(11 * 60_000);
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Other", text: "Quick answer" });
    let token = await signInStaff(app, STAFF.admin);
    const refs = async (query: string) =>
      (
        (await (await app.json("GET", `/v1/tickets?${query}`, undefined, token)).json()) as {
          tickets: { reference: string; firstResponseDueAt: string; slaBreached: boolean }[];
        }
      ).tickets;

    // Normal priority: 8 working hours from 08:00 → Monday 16:00 PST (Tuesday 00:00 UTC).
    const [second, first] = await refs("");
    expect(first?.firstResponseDueAt).toBe("2026-11-24T00:00:00.000Z");
    expect(second?.slaBreached).toBe(false);

    app.clock.set(Date.parse("2026-11-23T23:00:00Z"));
    token = await signInStaff(app, STAFF.admin);
    expect((await app.json("POST", "/v1/tickets/2/replies", { body: "On it" }, token)).status).toBe(
      201,
    );
    expect((await refs("slaBreached=true")).map((t) => t.reference)).toEqual([]);

    app.clock.set(Date.parse("2026-11-24T00:00:01Z"));
    token = await signInStaff(app, STAFF.admin);
    expect((await refs("slaBreached=true")).map((t) => t.reference)).toEqual(["T-1001"]);
    expect((await refs("slaBreached=false")).map((t) => t.reference)).toEqual(["T-1002"]);

    // Answered late: still breached afterwards.
    expect((await app.json("POST", "/v1/tickets/1/replies", { body: "Sorry" }, token)).status).toBe(
      201,
    );
    expect((await refs("slaBreached=true")).map((t) => t.reference)).toEqual(["T-1001"]);
  });

  it("makes an urgent ticket due sooner when its priority is raised", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    await makeRequest(app, DEMO.parentWithOneChild, { category: "Other", text: "Lost property" });
    const token = await signInStaff(app, STAFF.admin);
    const patched = await app.json("PATCH", "/v1/tickets/1", { priority: "urgent" }, token);
    expect(patched.status).toBe(200);
    // 2 working hours from Monday 08:00 PST.
    expect(((await patched.json()) as { firstResponseDueAt: string }).firstResponseDueAt).toBe(
      "2026-11-23T18:00:00.000Z",
    );
    expect((await app.json("GET", "/v1/tickets?slaBreached=maybe", undefined, token)).status).toBe(
      422,
    );
  });
});
