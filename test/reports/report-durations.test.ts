import { describe, expect, it } from "vitest";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";
import { insertTicket } from "./report-fixtures";

/**
 * Reports read each ticket's working-hours waits stored on the ticket; these are the changes that
 * must not leave a stored wait behind: a ticket resolved again after the parent reopened it, and
 * a school whose working hours or time zone change. Greenfield is America/Los_Angeles (UTC−8),
 * default hours 08:00–16:00 Monday to Friday.
 */

interface Figures {
  tickets: number;
  firstResponse: { count: number; medianHours: number | null };
  resolution: { count: number; medianHours: number | null };
  reopened: number;
}

/** The report's total, asked for by the admin (signed in now: the tests move the clock by hours). */
async function total(app: TestParentline, period: string): Promise<Figures> {
  const token = await signInStaff(app, STAFF.admin);
  const response = await app.json("GET", `/v1/reports/tickets?${period}`, undefined, token);
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: Figures }).total;
}

const PARENT = DEMO.parentWithOneChild;

describe("stored report waits", () => {
  it("counts a reopened ticket's resolution from its latest resolving", async () => {
    // Monday 2026-11-23 01:00 local: the ticket is created before the school day starts.
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    for (const text of ["New request", "Academics", "Is there homework this week?", "Send"]) {
      await app.say(PARENT, text);
    }
    const [ticket] = app.db.$client.prepare("select id from tickets").all() as { id: number }[];
    const resolve = async () =>
      app.json(
        "PATCH",
        `/v1/tickets/${ticket?.id}`,
        { status: "resolved" },
        await signInStaff(app, STAFF.rao),
      );
    const period = "from=2026-11-23&to=2026-11-23";

    app.clock.set(Date.parse("2026-11-23T18:00:00Z")); // 10:00 local: two working hours
    expect((await resolve()).status).toBe(200);
    expect((await total(app, period)).resolution).toEqual({
      count: 1,
      medianHours: 2,
      p90Hours: 2,
    });

    expect((await app.say(PARENT, "Reopen")).texts[0]).toContain("I've reopened");
    const reopened = await total(app, period);
    expect(reopened.resolution.count).toBe(0);
    expect(reopened.reopened).toBe(1);

    app.clock.set(Date.parse("2026-11-23T21:00:00Z")); // 13:00 local: five working hours
    expect((await resolve()).status).toBe(200);
    expect((await total(app, period)).resolution).toEqual({
      count: 1,
      medianHours: 5,
      p90Hours: 5,
    });
  });

  it("counts every wait again when the school's working hours or time zone change", async () => {
    const app = await createTestParentline();
    // Fri 20th 15:00 → answered Mon 23rd 09:00, resolved 10:00 (Los Angeles time).
    insertTicket(app, {
      className: "3A",
      created: "2026-11-20 15:00",
      firstResponse: "2026-11-23 09:00",
      resolved: "2026-11-23 10:00",
    });
    const period = "from=2026-11-20&to=2026-11-23";
    const waits = async () => {
      const figures = await total(app, period);
      return [figures.firstResponse.medianHours, figures.resolution.medianHours];
    };
    const greenfield = (set: string, value: string) =>
      app.db.$client.prepare(`update schools set ${set} where slug = 'greenfield'`).run(value);

    // Fri 15–16 and Mon 8–9, then one more hour to resolution.
    expect(await waits()).toEqual([2, 3]);

    // The day starts at 07:00: Fri 15–16 and Mon 7–9.
    greenfield("settings = json_set(settings, '$.sla', json(?))", '{"dayStart":"07:00"}');
    expect(await waits()).toEqual([3, 4]);

    // In New York the ticket came at 18:00 on Friday, after hours, and was answered at 12:00.
    greenfield("timezone = ?", "America/New_York");
    expect(await waits()).toEqual([5, 6]);
  });
});
