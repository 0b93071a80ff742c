import { describe, expect, it } from "vitest";
import { DEFAULT_SLA, firstResponseDueAt, slaFromSettings } from "../../src/domain";

const LA = "America/Los_Angeles";
const due = (priority: "normal" | "urgent", created: string, policy = DEFAULT_SLA) =>
  new Date(firstResponseDueAt(policy, priority, Date.parse(created), LA)).toISOString();

describe("firstResponseDueAt", () => {
  it("counts from the start of the school day for a ticket sent at night", () => {
    // Monday 01:00 in Los Angeles: 8 working hours from 08:00 is 16:00 the same day.
    expect(due("normal", "2026-11-23T09:00:00Z")).toBe("2026-11-24T00:00:00.000Z");
    expect(due("urgent", "2026-11-23T09:00:00Z")).toBe("2026-11-23T18:00:00.000Z");
  });

  it("carries the hours left on Friday over the weekend to Monday", () => {
    // Friday 15:00 PST: one hour on Friday, seven on Monday → Monday 15:00 PST.
    expect(due("normal", "2026-11-27T23:00:00Z")).toBe("2026-11-30T23:00:00.000Z");
  });

  it("keeps local working hours across the change from daylight saving time", () => {
    // Friday Oct 30 15:00 PDT (UTC-7) → Monday Nov 2 15:00 PST (UTC-8).
    expect(due("normal", "2026-10-30T22:00:00Z")).toBe("2026-11-02T23:00:00.000Z");
  });

  it("takes a school's own hours and days from its settings, ignoring invalid ones", () => {
    const policy = slaFromSettings({
      sla: {
        firstResponseHours: { normal: 4 },
        dayStart: "09:00",
        workingDays: [1, 2, 3, 4, 5, 6],
      },
    });
    expect(policy.firstResponseHours).toEqual({ normal: 4, urgent: 2 });
    // Saturday 10:00 PST is a working day here: due 14:00 the same day.
    expect(due("normal", "2026-11-28T18:00:00Z", policy)).toBe("2026-11-28T22:00:00.000Z");
    expect(slaFromSettings({ sla: { dayStart: "25:00" } })).toEqual(DEFAULT_SLA);
    expect(slaFromSettings({ sla: { dayStart: "17:00" } })).toEqual(DEFAULT_SLA);
  });
});
