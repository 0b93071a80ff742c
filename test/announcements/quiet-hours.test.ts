import { describe, expect, it } from "vitest";
import {
  DEFAULT_QUIET_HOURS,
  digestMinuteFromSettings,
  instantOfLocalTime,
  latestDigestTime,
  quietHoursEndAt,
  quietHoursFromSettings,
  sendableAt,
} from "../../src/domain";

const LA = "America/Los_Angeles";
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const endOf = (at: string, quiet = DEFAULT_QUIET_HOURS, zone = LA) =>
  iso(quietHoursEndAt(quiet, Date.parse(at), zone));

describe("quiet hours (21:00–07:00 by default)", () => {
  it("hold a message sent late in the evening until 07:00 the next morning", () => {
    // Monday 22:30 PST → Tuesday 07:00 PST.
    expect(endOf("2026-11-24T06:30:00Z")).toBe("2026-11-24T15:00:00.000Z");
  });

  it("hold a message sent after midnight until 07:00 the same morning", () => {
    // Tuesday 05:00 PST → 07:00 PST.
    expect(endOf("2026-11-24T13:00:00Z")).toBe("2026-11-24T15:00:00.000Z");
  });

  it("start at 21:00 sharp and end at 07:00 sharp", () => {
    expect(endOf("2026-11-24T05:00:00Z")).toBe("2026-11-24T15:00:00.000Z"); // 21:00 PST
    expect(endOf("2026-11-24T04:59:00Z")).toBeNull(); // 20:59
    expect(endOf("2026-11-24T15:00:00Z")).toBeNull(); // 07:00
  });

  it("let daytime messages go at once", () => {
    const noon = Date.parse("2026-11-24T20:00:00Z");
    expect(quietHoursEndAt(DEFAULT_QUIET_HOURS, noon, LA)).toBeNull();
    expect(sendableAt(DEFAULT_QUIET_HOURS, noon, LA)).toBe(noon);
  });

  it("end at 07:00 local on the night the clocks go back (a ten-hour night)", () => {
    // Saturday Oct 31 22:00 PDT (UTC-7) → Sunday Nov 1 07:00 PST (UTC-8).
    expect(endOf("2026-11-01T05:00:00Z")).toBe("2026-11-01T15:00:00.000Z");
    // 01:30 happens twice that night; both are quiet and end at the same 07:00.
    expect(endOf("2026-11-01T08:30:00Z")).toBe("2026-11-01T15:00:00.000Z");
    expect(endOf("2026-11-01T09:30:00Z")).toBe("2026-11-01T15:00:00.000Z");
  });

  it("end at 07:00 local on the night the clocks go forward (an eight-hour night)", () => {
    // Saturday Mar 7 23:00 PST (UTC-8) → Sunday Mar 8 07:00 PDT (UTC-7).
    expect(endOf("2026-03-08T07:00:00Z")).toBe("2026-03-08T14:00:00.000Z");
  });

  it("end just after the jump when they would end at a time the clocks skip", () => {
    // Quiet 01:00–02:30; on Mar 8 the clocks jump from 02:00 to 03:00, so 02:30 reads as 03:30 PDT.
    const quiet = { startMinute: 60, endMinute: 150 };
    expect(endOf("2026-03-08T09:30:00Z", quiet)).toBe("2026-03-08T10:30:00.000Z");
    expect(iso(instantOfLocalTime(Date.UTC(2026, 2, 8), 150, LA))).toBe("2026-03-08T10:30:00.000Z");
  });

  it("work within one day and in zones with half-hour offsets", () => {
    const lunch = { startMinute: 13 * 60, endMinute: 14 * 60 };
    expect(endOf("2026-11-24T21:15:00Z", lunch)).toBe("2026-11-24T22:00:00.000Z"); // 13:15 PST
    expect(endOf("2026-11-24T22:00:00Z", lunch)).toBeNull(); // 14:00
    // 21:30 in Kolkata (UTC+5:30) → 07:00 the next day there.
    expect(endOf("2026-11-24T16:00:00Z", DEFAULT_QUIET_HOURS, "Asia/Kolkata")).toBe(
      "2026-11-25T01:30:00.000Z",
    );
  });

  it("come from the school's settings: its own hours, none at all, or the default", () => {
    expect(quietHoursFromSettings({})).toEqual(DEFAULT_QUIET_HOURS);
    expect(quietHoursFromSettings({ quietHours: { start: "22:30", end: "06:00" } })).toEqual({
      startMinute: 22 * 60 + 30,
      endMinute: 6 * 60,
    });
    expect(quietHoursFromSettings({ quietHours: null })).toBeNull();
    expect(quietHoursFromSettings({ quietHours: { start: "25:00", end: "06:00" } })).toEqual(
      DEFAULT_QUIET_HOURS,
    );
    expect(quietHoursEndAt(null, Date.parse("2026-11-24T06:30:00Z"), LA)).toBeNull();
  });
});

describe("the daily digest time", () => {
  it("is the latest local 18:00 at or before now, and a school may move it", () => {
    const digest = (at: string, minute = digestMinuteFromSettings({})) =>
      iso(latestDigestTime(minute, Date.parse(at), LA));
    // 18:30 PST → today's 18:00; 17:59 → yesterday's.
    expect(digest("2026-11-25T02:30:00Z")).toBe("2026-11-25T02:00:00.000Z");
    expect(digest("2026-11-25T01:59:00Z")).toBe("2026-11-24T02:00:00.000Z");
    // Across the change back to standard time: Sunday Nov 1 09:00 PST → Saturday 18:00 PDT.
    expect(digest("2026-11-01T17:00:00Z")).toBe("2026-11-01T01:00:00.000Z");
    expect(digestMinuteFromSettings({ digestTime: "07:30" })).toBe(450);
    expect(digestMinuteFromSettings({ digestTime: "late" })).toBe(18 * 60);
  });
});
