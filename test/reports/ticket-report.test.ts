import { beforeAll, describe, expect, it } from "vitest";
import { snapshotDatabase } from "../support/database-snapshot";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";
import { insertTicket } from "./report-fixtures";

interface Figures {
  tickets: number;
  firstResponse: { count: number; medianHours: number | null; p90Hours: number | null };
  resolution: { count: number; medianHours: number | null; p90Hours: number | null };
  slaBreached: number;
  slaBreachRate: number | null;
  reopened: number;
  reopenRate: number | null;
  csat: { average: number | null; count: number };
}
interface Report {
  from: string;
  to: string;
  groups: (Figures & { key: string; label: string })[];
  total: Figures;
}

/**
 * The fixture (Greenfield, America/Los_Angeles, default SLA: 08:00–16:00 Monday to Friday, a
 * normal ticket's first answer due within 8 working hours). The clock stands at Monday
 * 2026-11-23 01:00 local.
 *
 * Fees, about a 3A child (hand-worked):
 *   F1 Fri 20th 15:00 → answered Mon 23rd 09:00: Fri 1 h + Mon 1 h = 2 h; due Mon 15:00, in time.
 *      Resolved Mon 10:00: 3 h. Rated 4.
 *   F2 Tue 10th 08:00 → answered 12:00: 4 h, in time. Resolved Wed 11th 10:00: 8 h + 2 h = 10 h.
 *      Reopened once (then resolved again). Rated 2.
 *   F3 Wed 18th 08:00 → answered Thu 19th 10:00: 8 h + 2 h = 10 h; due Wed 16:00: breached.
 *   first response [2, 4, 10]: median (rank 2) 4, p90 (rank 3) 10; resolution [3, 10]: 3 and 10;
 *   breached 1 of 3; reopened 1 of the 2 ever resolved; CSAT (4 + 2) / 2 = 3 from 2.
 * Academics, about a 5A child (Ms Rao's class): ten tickets on Mon 16th 08:00 answered after
 *   1…10 working hours (9 and 10 on Tuesday, past the 16:00 due time): median (rank 5) 5,
 *   p90 (rank 9) 9; breached 2 of 10; no resolution, no rating.
 * Outside: one on Sun 8th 23:30 local (already the 9th in UTC), before the period; one at
 *   Riverside, another school.
 */
async function fixture() {
  const app = await createTestParentline();
  insertTicket(app, {
    className: "3A",
    category: "fees",
    created: "2026-11-20 15:00",
    firstResponse: "2026-11-23 09:00",
    resolved: "2026-11-23 10:00",
    rating: 4,
  });
  insertTicket(app, {
    className: "3A",
    category: "fees",
    created: "2026-11-10 08:00",
    firstResponse: "2026-11-10 12:00",
    resolved: "2026-11-11 10:00",
    reopenCount: 1,
    rating: 2,
  });
  insertTicket(app, {
    className: "3A",
    category: "fees",
    created: "2026-11-18 08:00",
    firstResponse: "2026-11-19 10:00",
  });
  const answeredAt = ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"].map(
    (time) => `2026-11-16 ${time}`,
  );
  answeredAt.push("2026-11-17 09:00", "2026-11-17 10:00");
  for (const firstResponse of answeredAt) {
    insertTicket(app, { className: "5A", created: "2026-11-16 08:00", firstResponse });
  }
  insertTicket(app, { className: "5A", created: "2026-11-08 23:30" });
  insertTicket(app, { className: "5A", school: "riverside", created: "2026-11-16 08:00" });
  app.clock.set(Date.parse("2026-11-23T09:00:00Z"));
  return app;
}

async function report(app: TestParentline, token: string, query: string): Promise<Report> {
  const response = await app.json("GET", `/v1/reports/tickets?${query}`, undefined, token);
  expect(response.status).toBe(200);
  return (await response.json()) as Report;
}

const period = "from=2026-11-09&to=2026-11-22";

describe("GET /v1/reports/tickets", () => {
  let app: TestParentline;
  let admin: string;
  beforeAll(async () => {
    app = await fixture();
    admin = await signInStaff(app, STAFF.admin);
  });

  it("counts first response in working hours across a weekend, with nearest-rank median and p90", async () => {
    const { groups } = await report(app, admin, `${period}&groupBy=category`);
    expect(groups.map((g) => [g.key, g.label])).toEqual([
      ["academics", "Academics"],
      ["fees", "Fees"],
    ]);
    const [academics, fees] = groups;
    expect(fees).toMatchObject({
      tickets: 3,
      firstResponse: { count: 3, medianHours: 4, p90Hours: 10 },
      resolution: { count: 2, medianHours: 3, p90Hours: 10 },
      slaBreached: 1,
      slaBreachRate: 0.3333,
      reopened: 1,
      reopenRate: 0.5,
      csat: { average: 3, count: 2 },
    });
    expect(academics).toMatchObject({
      tickets: 10,
      firstResponse: { count: 10, medianHours: 5, p90Hours: 9 },
      resolution: { count: 0, medianHours: null, p90Hours: null },
      slaBreached: 2,
      slaBreachRate: 0.2,
      reopenRate: null,
      csat: { average: null, count: 0 },
    });
  });

  it("totals the period, leaving out tickets before it (by the school's date) and other schools'", async () => {
    const { total, from, to } = await report(app, admin, period);
    expect([from, to]).toEqual(["2026-11-09", "2026-11-22"]);
    // [2, 4, 10] with 1…10: thirteen waits, 1 2 2 3 4 4 5 6 7 8 9 10 10.
    expect(total).toMatchObject({
      tickets: 13,
      firstResponse: { count: 13, medianHours: 5, p90Hours: 10 },
      slaBreached: 3,
      csat: { average: 3, count: 2 },
    });
  });

  it("groups by class and by week (weeks start on Monday, school time)", async () => {
    const byClass = await report(app, admin, `${period}&groupBy=class`);
    expect(byClass.groups.map((g) => [g.key, g.tickets])).toEqual([
      ["3A", 3],
      ["5A", 10],
    ]);
    const byWeek = await report(app, admin, `${period}&groupBy=week`);
    expect(byWeek.groups.map((g) => [g.key, g.label, g.tickets])).toEqual([
      ["2026-11-09", "Week of 2026-11-09", 1],
      ["2026-11-16", "Week of 2026-11-16", 12],
    ]);
    const byAssignee = await report(app, admin, `${period}&groupBy=assignee`);
    expect(byAssignee.groups.map((g) => [g.key, g.label, g.tickets])).toEqual([
      ["unassigned", "Unassigned", 13],
    ]);
  });

  it("shows a teacher only their classes' tickets and office staff only their function's", async () => {
    const rao = await signInStaff(app, STAFF.rao);
    const teacher = await report(app, rao, `${period}&groupBy=class`);
    expect(teacher.groups.map((g) => [g.key, g.tickets])).toEqual([["5A", 10]]);
    expect(teacher.total.tickets).toBe(10);
    const accounts = await signInStaff(app, STAFF.accounts);
    const office = await report(app, accounts, `${period}&groupBy=category`);
    expect(office.groups.map((g) => [g.key, g.tickets])).toEqual([["fees", 3]]);
  });

  it("refuses a bad from, to or groupBy with a 422 naming the field, changing nothing", async () => {
    const before = snapshotDatabase(app.db);
    const cases: [string, string][] = [
      ["from=2026-13-01&to=2026-11-22", "from"],
      ["from=2026-11-09&to=yesterday", "to"],
      ["from=2026-11-22&to=2026-11-09", "to"],
      ["from=2024-01-01&to=2026-11-22", "to"],
      [`${period}&groupBy=month`, "groupBy"],
    ];
    for (const [query, field] of cases) {
      const response = await app.json("GET", `/v1/reports/tickets?${query}`, undefined, admin);
      expect(response.status, query).toBe(422);
      const body = (await response.json()) as { error: { details: { path: string }[] } };
      expect(body.error.details.map((d) => d.path)).toEqual([field]);
    }
    expect(snapshotDatabase(app.db)).toEqual(before);
  });
});
